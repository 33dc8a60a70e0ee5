import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { contract, type MethodName } from '../../../src/api/contract';
import { dispatch } from '../../../src/api/dispatch';

// Methods whose input is `noFields` accept the empty object without building their schema (so
// `burnrate status` does not load zod); every other input still meets the schema and its sentence.
let core: Core;
beforeEach(() => {
  core = openCore({ memory: true, clock: { now: () => new Date('2026-11-28T18:00:00Z') }, timeZone: 'UTC', env: {} });
});
afterEach(() => core.close());

const noFieldMethods = (Object.keys(contract) as MethodName[]).filter((name) => contract[name].takesNoFields);

describe('methods that take no fields', () => {
  it('are exactly the methods whose schema is noFields, status among them', () => {
    expect(noFieldMethods).toContain('status');
    // The mark says what the schema does: an empty strict object, whose answer to {} is {}.
    for (const name of noFieldMethods) {
      const schema = contract[name].input;
      expect(schema.safeParse({})).toEqual({ success: true, data: {} });
      expect(schema.safeParse({ extra: 1 }).success).toBe(false);
    }
  });

  it('status answers for no input and for an empty object alike', async () => {
    const bare = await dispatch(core, 'status', undefined);
    const empty = await dispatch(core, 'status', {});
    expect(empty).toEqual(bare);
    expect(empty.month.spentUsd).toBe('0.00');
  });

  it('status refuses an unknown field in the same sentence as the schema gives', async () => {
    const refused = dispatch(core, 'status', { extra: 1 });
    await expect(refused).rejects.toMatchObject({ code: 'invalid_input', reason: 'bad_input', message: 'Invalid input: unknown field extra.', facts: { fields: ['extra'] } });
  });

  it.each([
    ['an array', []],
    ['a string', 'all'],
    ['a number', 1],
    ['an object with a symbol key', { [Symbol('x')]: 1 }],
    ['an object of another prototype', Object.create({ extra: 1 })],
  ])('status refuses %s through the schema', async (_what, input) => {
    const fromSchema = contract.status.input.safeParse(input);
    if (fromSchema.success) {
      // zod accepts it (it reads own string keys only): dispatch must give what zod gives.
      await expect(dispatch(core, 'status', input)).resolves.toMatchObject({ month: { spentUsd: '0.00' } });
    } else {
      await expect(dispatch(core, 'status', input)).rejects.toMatchObject({ code: 'invalid_input', reason: 'bad_input' });
    }
  });
});
