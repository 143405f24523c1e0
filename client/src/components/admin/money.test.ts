// Typed amounts become minor units exactly, in every language's way of writing them: a property
// over every amount up to a million (formatted by Intl, read back), the float traps (4.35, 0.29,
// 1.005) and what is refused rather than guessed.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LANGUAGES } from '../../i18n/locales.ts';
import { minorToInput, parseMinor } from './money.ts';

describe('money', () => {
  test('money: any amount Intl writes in any of the 20 languages (grouped, two decimals) reads back as the same minor units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), fc.constantFrom(...LANGUAGES, 'es-MX', 'en-MX', 'de-CH'), (minor, tag) => {
        const written = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);
        expect(parseMinor(written, tag)).toBe(minor);
        expect(parseMinor(minorToInput(minor, tag), tag)).toBe(minor);
      }),
      { numRuns: 2000 },
    );
  });

  test('money: the amounts a float gets wrong are exact (4.35 is 435 centavos, 0.29 is 29, 1.15 is 115)', () => {
    expect(parseMinor('4.35', 'es-MX')).toBe(435);
    expect(parseMinor('0.29', 'en')).toBe(29);
    expect(parseMinor('1.15', 'en')).toBe(115);
    expect(parseMinor('1,15', 'de')).toBe(115);
    expect(parseMinor('99', 'es-MX')).toBe(9900);
    expect(parseMinor('99.5', 'es-MX')).toBe(9950);
    expect(parseMinor('1,234.50', 'en')).toBe(123450);
    expect(parseMinor('1.234,50', 'de')).toBe(123450);
    expect(parseMinor('1 234,50', 'fr')).toBe(123450);
    // A point where the language writes a comma is still the decimal mark before one or two digits.
    expect(parseMinor('19.99', 'de')).toBe(1999);
  });

  test('money: three decimals, words, signs and stray marks are refused, not rounded or guessed', () => {
    for (const text of ['1.005', '', 'abc', '-5', '5e3', '12.3.4', '1,2345', '1.234', '10000000000', ',50', '5.'])
      expect(parseMinor(text, 'en'), text).toBeUndefined();
    expect(parseMinor('1,234', 'de')).toBeUndefined();
    expect(parseMinor('1,234', 'en')).toBe(123400);
    expect(parseMinor('1,23,456.50', 'hi')).toBe(12345650);
  });
});
