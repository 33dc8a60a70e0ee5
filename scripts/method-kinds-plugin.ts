import type { Plugin } from 'vite';
import { contract } from '../src/api/contract';

/**
 * The renderer's table of GET-or-POST per method, read from the contract itself at build time.
 * `import { METHOD_KIND } from 'virtual:burnrate/method-kinds'` becomes a frozen object literal of
 * plain strings, so the renderer's bundle gets the kinds without zod or any of the contract's
 * run-time code (renderer/ may import only types from src/). Used by renderer/vite.config.ts and,
 * for the renderer's unit tests, by vitest.config.ts.
 */
export const METHOD_KINDS_MODULE = 'virtual:burnrate/method-kinds';
const RESOLVED = `\0${METHOD_KINDS_MODULE}`;

export function methodKindsSource(): string {
  const kinds = Object.fromEntries(Object.entries(contract).map(([name, spec]) => [name, spec.kind]));
  return `export const METHOD_KIND = Object.freeze(${JSON.stringify(kinds)});\n`;
}

export function methodKindsPlugin(): Plugin {
  return {
    name: 'burnrate-method-kinds',
    resolveId: (id) => (id === METHOD_KINDS_MODULE ? RESOLVED : null),
    load: (id) => (id === RESOLVED ? methodKindsSource() : null),
  };
}
