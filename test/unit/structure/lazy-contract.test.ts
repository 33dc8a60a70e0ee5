import { describe, expect, it } from 'vitest';
import { contract } from '../../../src/api/contract';

// A process builds the zod schemas of the methods it calls and no others (src/api/define.ts):
// building every schema at load was a fifth of `burnrate status`'s start-up. So each method's
// input is a getter that builds its schema on first read, once. A method added with a schema
// built at load fails here; an exception would be listed with the reason.
const BUILT_AT_LOAD: Record<string, string> = {};

describe('the contract builds each input schema on first use', () => {
  const methods = Object.entries(contract);

  it.each(methods.filter(([name]) => !(name in BUILT_AT_LOAD)))('%s: input is built when first read, once', (_name, spec) => {
    const descriptor = Object.getOwnPropertyDescriptor(spec, 'input');
    expect(typeof descriptor?.get).toBe('function');
    const first = spec.input;
    expect(typeof first.safeParse).toBe('function');
    expect(spec.input).toBe(first);
  });

  it('every exception is still a method of the contract', () => {
    for (const name of Object.keys(BUILT_AT_LOAD)) expect(Object.keys(contract)).toContain(name);
  });
});
