import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSlugs } from '../../../src/model/slug-order';

/** The oracle: ICU's English collation, which localeCompare used before (and falls back to). */
const english = new Intl.Collator('en');
const sign = (n: number) => Math.sign(n);

describe('the order of provider slugs', () => {
  it('is the order of English collation for slugs', () => {
    const slug = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/);
    fc.assert(
      fc.property(slug, slug, (a, b) => {
        expect(sign(compareSlugs(a, b))).toBe(sign(english.compare(a, b)));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('puts _ - . before digits before letters, and a prefix first', () => {
    const sorted = ['z', 'a9', 'a.b', 'a-b', 'a_b', 'a', '1a', 'a1', 'ab'].sort(compareSlugs);
    expect(sorted).toEqual(['1a', 'a', 'a_b', 'a-b', 'a.b', 'a1', 'a9', 'ab', 'z']);
  });

  it('orders any other text as English collation does', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'é', ' ', '-', '1', 'ß', '_') , maxLength: 6 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(sign(compareSlugs(a, b))).toBe(sign(english.compare(a, b)));
      }),
      { numRuns: 2000, seed: 8 },
    );
  });
});
