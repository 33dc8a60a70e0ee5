import type { Core } from '../app/open';
import type { MethodSpec, ParsedInputOf, ResultOf } from './define';

export type Handler<M> = (core: Core, input: ParsedInputOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;

/** One handler per method of an area; the compiler refuses a missing or extra one. */
export type HandlersFor<T extends Record<string, MethodSpec>> = { [K in keyof T]: Handler<T[K]> };
