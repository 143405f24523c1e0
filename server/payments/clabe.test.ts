// CLABEs: the check digit as Banco de México specifies it, on known good account numbers and as
// properties (every generated one is valid, distinct references give distinct CLABEs, and any
// single changed digit is caught).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { clabeCheckDigit, clabeFor, groupedClabe, isClabe } from './clabe.ts';

describe('CLABE', () => {
  test('clabe: the check digit of the CLABE Banco de México publishes as its worked example', () => {
    // 032 (bank) 180 (plaza) 00011835971 (account) 9 (check digit).
    expect(clabeCheckDigit('03218000011835971')).toBe(9);
    expect(isClabe('032180000118359719')).toBe(true);
    expect(isClabe('032180000118359718')).toBe(false);
    expect(isClabe('00211501600326941')).toBe(false);
    expect(isClabe('00211501600326941a')).toBe(false);
  });

  test('clabe: grouped for reading by bank, plaza, the rest of the prefix, the reference and the check digit', () => {
    expect(groupedClabe(clabeFor('6461801570', 1))).toBe('646 180 1570 0000001 7');
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), fc.integer({ min: 1, max: 9_999_999 }), (p, reference) => {
        const clabe = clabeFor(p, reference);
        expect(groupedClabe(clabe).replaceAll(' ', '')).toBe(clabe);
        expect(groupedClabe(clabe).split(' ')[3]).toBe(String(reference).padStart(7, '0'));
      }),
    );
  });

  test('clabe (property): every CLABE made is valid, keeps its prefix and reference, and distinct references never share one', () => {
    const prefix = fc.stringMatching(/^\d{10}$/);
    const reference = fc.integer({ min: 1, max: 9_999_999 });
    fc.assert(
      fc.property(prefix, reference, reference, (p, a, b) => {
        const clabe = clabeFor(p, a);
        expect(isClabe(clabe)).toBe(true);
        expect(clabe.slice(0, 10)).toBe(p);
        expect(Number(clabe.slice(10, 17))).toBe(a);
        if (a !== b) expect(clabeFor(p, b)).not.toBe(clabe);
      }),
    );
  });

  test('clabe (property): any single mistyped digit is caught by the check digit', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{10}$/),
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.nat(17),
        fc.integer({ min: 1, max: 9 }),
        (p, r, at, shift) => {
          const clabe = clabeFor(p, r);
          const typo = `${clabe.slice(0, at)}${(Number(clabe[at]) + shift) % 10}${clabe.slice(at + 1)}`;
          expect(isClabe(typo)).toBe(false);
        },
      ),
    );
  });

  test('clabe: a prefix or reference out of shape is refused', () => {
    expect(() => clabeFor('64618015', 1)).toThrow();
    expect(() => clabeFor('6461801570', 0)).toThrow();
    expect(() => clabeFor('6461801570', 10_000_000)).toThrow();
  });
});
