// Methods of the odometer area. Owned by the odometer work; see src/api/contract/core.ts for the pattern.
export const odometerMethods = {};
