// Methods of the pricing area. Owned by the pricing work; see src/api/contract/core.ts for the pattern.
export const pricingMethods = {};
