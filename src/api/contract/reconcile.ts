// Methods of the reconcile area. Owned by the reconcile work; see src/api/contract/core.ts for the pattern.
export const reconcileMethods = {};
