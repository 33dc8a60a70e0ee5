// Methods of the keys area. Owned by the keys work; see src/api/contract/core.ts for the pattern.
export const keysMethods = {};
