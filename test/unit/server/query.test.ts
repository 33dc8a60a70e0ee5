import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from '../../../src/api/contract';
import { usdAmount } from '../../../src/api/schemas';
import { inputFromQuery } from '../../../src/server/query';

const q = (s: string) => new URLSearchParams(s);

const schema = z
  .object({
    name: z.string().optional(),
    count: z.number().int().optional(),
    limit: z.coerce.number().default(50),
    all: z.boolean().optional(),
    amount: usdAmount().optional(),
    tags: z.array(z.string()).optional(),
    ids: z.array(z.number()).optional(),
    mode: z.enum(['csv', 'json']).optional(),
    either: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .strict();

describe('query strings become typed input, guided by the schema', () => {
  it('keeps text for string fields, even text that looks like a number or a boolean', () => {
    expect(inputFromQuery(q('name=4&mode=json'), schema)).toEqual({ name: '4', mode: 'json' });
    expect(inputFromQuery(q('name=true'), schema)).toEqual({ name: 'true' });
    expect(inputFromQuery(q('amount=1.50'), schema)).toEqual({ amount: '1.50' }); // money stays text, exact
  });

  it('makes numbers and booleans of number and boolean fields', () => {
    expect(inputFromQuery(q('count=12&limit=3&all=false'), schema)).toEqual({ count: 12, limit: 3, all: false });
    expect(inputFromQuery(q('all'), schema)).toEqual({ all: true });
    expect(inputFromQuery(q('all=1'), schema)).toEqual({ all: true });
  });

  it('passes text a field cannot take on to zod, which explains it', () => {
    const input = inputFromQuery(q('count=twelve&all=maybe'), schema);
    expect(input).toEqual({ count: 'twelve', all: 'maybe' });
    const parsed = schema.safeParse(input);
    expect(parsed.success).toBe(false);
  });

  it('collects repeated keys into arrays for array fields, and a single value too', () => {
    expect(inputFromQuery(q('tags=a&tags=b'), schema)).toEqual({ tags: ['a', 'b'] });
    expect(inputFromQuery(q('tags=a'), schema)).toEqual({ tags: ['a'] });
    expect(inputFromQuery(q('ids=1&ids=2'), schema)).toEqual({ ids: [1, 2] });
    expect(inputFromQuery(q('either=a'), schema)).toEqual({ either: 'a' });
    expect(inputFromQuery(q('either=a&either=b'), schema)).toEqual({ either: ['a', 'b'] });
  });

  it('refuses a scalar given twice with a sentence', () => {
    expect(() => inputFromQuery(q('name=a&name=b'), schema)).toThrow(/"name" was given 2 times; give it once/);
  });

  it('passes unknown keys through so the strict schema names them, without touching the prototype', () => {
    const input = inputFromQuery(q('__proto__=x&other=1'), schema);
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(Object.keys(input)).toEqual(['__proto__', 'other']);
    expect(schema.safeParse(input).success).toBe(false);
  });

  it('every read of the contract accepts its own empty query', () => {
    for (const [name, spec] of Object.entries(contract)) {
      if (spec.kind !== 'read') continue;
      expect(inputFromQuery(q(''), spec.input), name).toEqual({});
    }
  });

  it('round-trips any whole number and any text through the query string', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.string(), (count, name) => {
        const params = new URLSearchParams();
        params.set('count', String(count));
        params.set('name', name);
        const input = inputFromQuery(new URLSearchParams(params.toString()), schema);
        expect(input).toEqual({ count, name });
      }),
    );
  });
});
