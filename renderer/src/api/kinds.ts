/**
 * GET or POST for every contract method, read from the contract by the build
 * (scripts/method-kinds-plugin.ts): nothing to keep in step by hand, and no zod in the bundle.
 */
export { METHOD_KIND } from 'virtual:burnrate/method-kinds';
