import type { z } from 'zod';

/**
 * One operation of the contract: its kind (reads are GET over HTTP and safe to retry), its input
 * schema (validated at every transport), and its result type (carried as a phantom type so the
 * renderer, HTTP client and CLI all see the same result shape without a hand-kept .d.ts).
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, R = unknown> {
  readonly kind: 'read' | 'write';
  readonly description: string;
  readonly input: I;
  /** Phantom: never set at runtime. */
  readonly __result?: R;
}

/** `method<Result>()({ kind, description, input })`: the result type is given, the input inferred. */
export function method<R>() {
  return <I extends z.ZodType>(spec: { kind: 'read' | 'write'; description: string; input: I }): MethodSpec<I, R> => spec;
}

export type InputOf<M> = M extends MethodSpec<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<M> = M extends MethodSpec<infer I, unknown> ? z.output<I> : never;
export type ResultOf<M> = M extends MethodSpec<z.ZodType, infer R> ? R : never;
