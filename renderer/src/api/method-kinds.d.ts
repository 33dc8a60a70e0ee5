/** Generated at build time from the contract (scripts/method-kinds-plugin.ts). */
declare module 'virtual:burnrate/method-kinds' {
  export const METHOD_KIND: Readonly<Record<import('../../../src/api/contract').MethodName, 'read' | 'write'>>;
}
