import type { z } from 'zod';
import { noFields } from './schemas';

/**
 * One operation of the contract: its kind (reads are GET over HTTP and safe to retry), its input
 * schema (validated at every transport), and its result type (carried as a phantom type so the
 * renderer, HTTP client and CLI all see the same result shape without a hand-kept .d.ts).
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, R = unknown> {
  readonly kind: 'read' | 'write';
  readonly description: string;
  readonly input: I;
  /** True when the input is `noFields` (src/api/schemas.ts): an empty object, any field refused. */
  readonly takesNoFields?: true;
  /** Phantom: never set at runtime. */
  readonly __result?: R;
}

/**
 * `method<Result>()({ kind, description, input })`: the result type is given, the input inferred.
 * `input` may be a function that builds the schema: it then runs on the first read of `spec.input`,
 * so a process builds the zod schemas of the methods it calls and no others (building all of them
 * was a fifth of `burnrate status`'s start-up).
 */
export function method<R>() {
  return <I extends z.ZodType>(spec: { kind: 'read' | 'write'; description: string; input: I | (() => I) }): MethodSpec<I, R> => {
    const { kind, description, input } = spec;
    if (typeof input !== 'function') return { kind, description, input };
    let built: I | undefined;
    return {
      kind,
      description,
      get input() {
        return (built ??= input());
      },
      ...((input as unknown) === noFields ? { takesNoFields: true as const } : {}),
    };
  };
}

export type InputOf<M> = M extends MethodSpec<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<M> = M extends MethodSpec<infer I, unknown> ? z.output<I> : never;
export type ResultOf<M> = M extends MethodSpec<z.ZodType, infer R> ? R : never;
