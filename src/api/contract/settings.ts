// Methods of the settings area. Owned by the settings work; see src/api/contract/core.ts for the pattern.
export const settingsMethods = {};
