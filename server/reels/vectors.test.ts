import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { BLEND_VIEWS, blend, COLLAB_DIMENSIONS, LEXICAL_DIMENSIONS, lexicalEmbedding, wordsOf } from './vectors.ts';

const cosine = (a: readonly number[], b: readonly number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
const unit = (values: number[]) => {
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
};

describe('reels vectors', () => {
  test('lexical embedding: words without accents or mentions, unit length; related captions closer than unrelated ones', () => {
    expect(wordsOf('¡Mirá a @ana_luna en la PLAYA! Perrito feliz')).toEqual(['mira', 'en', 'la', 'playa', 'perrito', 'feliz']);
    const beach = lexicalEmbedding('Luna corre en la playa #perros', ['perros']) as number[];
    const beachToo = lexicalEmbedding('Mi perro en la playa', []) as number[];
    const cats = lexicalEmbedding('Gatito durmiendo la siesta #gatos', ['gatos']) as number[];
    expect(beach).toHaveLength(LEXICAL_DIMENSIONS);
    expect(Math.hypot(...beach)).toBeCloseTo(1, 5);
    expect(cosine(beach, beachToo)).toBeGreaterThan(cosine(beach, cats) + 0.2);
    expect(lexicalEmbedding('@solo_una_mencion 🐶', [])).toBeNull();
  });

  test('blend (property): unit length; the caption alone without a collaborative half, mostly behaviour once watched a lot', () => {
    const part = (n: number) =>
      fc
        .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n })
        .filter((v) => Math.hypot(...v) > 0.1)
        .map(unit);
    fc.assert(
      fc.property(part(LEXICAL_DIMENSIONS), part(COLLAB_DIMENSIONS), fc.nat(100_000), (caption, collab, views) => {
        const mixed = blend(caption, collab, views, LEXICAL_DIMENSIONS) as number[];
        expect(Math.hypot(...mixed)).toBeCloseTo(1, 6);
        expect(blend(caption, null, views, LEXICAL_DIMENSIONS)?.slice(0, LEXICAL_DIMENSIONS)).toEqual(caption.map((value) => value * 1));
        const share = 1 / (1 + views / BLEND_VIEWS);
        // Against the caption alone, the cosine is the caption's share of the length.
        expect(cosine(mixed, blend(caption, null, 0, LEXICAL_DIMENSIONS) as number[])).toBeCloseTo(Math.sqrt(share), 6);
        // Without a caption vector (or with one of another embedder), the caption part is as long as the current embedder's.
        const behaviourOnly = blend(null, collab, views, 384) as number[];
        expect(behaviourOnly).toHaveLength(384 + COLLAB_DIMENSIONS);
        expect(behaviourOnly.slice(0, 384).every((value) => value === 0)).toBe(true);
        expect(Math.hypot(...behaviourOnly)).toBeCloseTo(1, 6);
      }),
      { numRuns: 200 },
    );
    expect(blend(null, null, 10, LEXICAL_DIMENSIONS)).toBeNull();
  });
});
