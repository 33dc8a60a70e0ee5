import type { z as Zod } from 'zod';

/**
 * zod's `z`, loaded on its first use rather than when the module importing it loads.
 *
 * Setting up zod's module (its v4 classes, each defined property by property) cost `burnrate
 * status` ~7 ms of start-up, although status builds no schema but its own empty input's. The
 * contract builds each input schema on first use (src/api/define.ts), so the modules every command
 * loads (the contract, src/api/schemas.ts, dispatch) take `z` from here: zod loads when the first
 * schema is built. One static `import 'zod'` on that path would undo it (esbuild then initialises
 * zod with the bundle), which test/unit/structure/lazy-zod.test.ts checks.
 *
 * Validation is unchanged: every schema is zod's own, built and applied exactly as before.
 */
type ZodNamespace = typeof Zod;

let loaded: ZodNamespace | undefined;

function zod(): ZodNamespace {
  // A require, not an import: it must be synchronous (a schema is built inside a getter) and run
  // only here, on first use. In the CLI bundle esbuild turns it into zod's module initialiser.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= (require('zod') as { z: ZodNamespace }).z);
}

export const z: ZodNamespace = new Proxy({} as ZodNamespace, {
  get: (_target, key) => Reflect.get(zod(), key),
  has: (_target, key) => Reflect.has(zod(), key),
});

/**
 * `build`, run on the first call and its answer kept: a shared schema (src/api/schemas.ts) that
 * other schemas are built from, made when the first of them is. Each call answers the same schema.
 */
export function builtOnce<S>(build: () => S): () => S {
  let built: S | undefined;
  return () => (built ??= build());
}
