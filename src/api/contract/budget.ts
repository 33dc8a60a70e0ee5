// Methods of the budget area. Owned by the budget work; see src/api/contract/core.ts for the pattern.
export const budgetMethods = {};
