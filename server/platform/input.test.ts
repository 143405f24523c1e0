// The one rule for names others see: format characters (bidi controls, zero-width characters,
// the BOM, word joiner, invisible operators, the Arabic letter mark, other Cf) are removed, a
// zero-width joiner inside an emoji sequence stays, control characters and line breaks are refused.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidInputError } from '../errors.ts';
import { cleanName } from './input.ts';

const name = (value: string, required = false) => cleanName(value, 'displayName', { required });

const INVISIBLES = [
  ...Array.from({ length: 5 }, (_, i) => 0x200b + i),
  ...Array.from({ length: 5 }, (_, i) => 0x202a + i),
  ...Array.from({ length: 4 }, (_, i) => 0x2066 + i),
  ...Array.from({ length: 5 }, (_, i) => 0x2060 + i),
  0xfeff,
  0x061c,
  0x00ad,
].map((code) => String.fromCodePoint(code));

describe('names', () => {
  test('names: bidi controls and zero-width characters are removed', () => {
    expect(name('Ana\u202Egnp.exe')).toBe('Anagnp.exe');
    expect(name('\u200BLuna\u200C \u2066Max\u2069\u061C')).toBe('Luna Max');
    expect(name('\uFEFFRex\u2060\u2064')).toBe('Rex');
    for (const invisible of INVISIBLES) expect(name(`a${invisible}b`), invisible.codePointAt(0)?.toString(16)).toBe('ab');
  });

  test('names: a joiner inside an emoji sequence stays; elsewhere it goes', () => {
    expect(name('👩\u200D👩\u200D👧 family')).toBe('👩\u200D👩\u200D👧 family');
    expect(name('🏳️\u200D🌈')).toBe('🏳️\u200D🌈');
    expect(name('a\u200Db')).toBe('ab');
    expect(name('\u200D🐶')).toBe('🐶');
  });

  test('names: control characters and line breaks are refused; an empty required name too', () => {
    for (const bad of ['a\u0000b', 'a\u0085b', 'a\nb', 'a\tb']) expect(() => name(bad), JSON.stringify(bad)).toThrow(InvalidInputError);
    expect(() => name('\u200B\u202E ', true)).toThrow(InvalidInputError);
    expect(name('\u200B ', false)).toBe('');
  });

  test('names: no format character survives, and letters, digits and emoji are kept', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.constantFrom(...INVISIBLES), (text, invisible) => {
        const visible = text.replace(/[\p{Cc}\p{Cf}\n\t]/gu, '');
        const cleaned = name(`${invisible}${visible}${invisible}`);
        expect(cleaned).not.toMatch(/(?!\u200D)\p{Cf}/u);
        expect(cleaned.replace(/\u200D/g, '')).toBe(visible.replace(/\u200D/g, '').trim());
      }),
    );
  });
});
