import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Candidate, explain, rank } from './ranking.ts';

const now = Date.UTC(2026, 10, 24, 12);
const candidate = fc.record({
  id: fc.uuid(),
  createdAt: fc.integer({ min: now - 7 * 24 * 3600_000, max: now }),
  relation: fc.constantFrom('you', 'close_friend', 'friend', 'following' as const),
  reactions: fc.nat(10_000),
  comments: fc.nat(1000),
  shares: fc.nat(100),
  hashtags: fc.array(fc.constantFrom('perros', 'gatos', 'aves'), { maxLength: 3 }),
}) as fc.Arbitrary<Candidate>;

describe('ranking', () => {
  test('ranking (property): newer beats older, more engagement beats less, closer beats farther, less-of sinks; all else equal', () => {
    fc.assert(
      fc.property(candidate, fc.integer({ min: 1, max: 3600_000 * 48 }), fc.integer({ min: 1, max: 500 }), (base, older, more) => {
        const score = (c: Candidate, lessOf = new Set<string>()) => explain(c, lessOf, now).score;
        expect(score({ ...base, createdAt: base.createdAt - older })).toBeLessThanOrEqual(score(base));
        expect(score({ ...base, reactions: base.reactions + more })).toBeGreaterThanOrEqual(score(base));
        expect(score({ ...base, relation: 'close_friend' })).toBeGreaterThanOrEqual(score({ ...base, relation: 'following' }));
        const tagged = { ...base, hashtags: ['gatos'] };
        expect(score(tagged, new Set(['gatos']))).toBeLessThanOrEqual(score(tagged));
      }),
      { numRuns: 500 },
    );
  });

  test('ranking (property): the order is total and the same whatever order the candidates come in', () => {
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (c) => c.id, maxLength: 40 }), (candidates) => {
        const ranked = rank(candidates, new Set(['aves']), now).map((entry) => entry.id);
        expect(rank([...candidates].reverse(), new Set(['aves']), now).map((entry) => entry.id)).toEqual(ranked);
        expect(new Set(ranked).size).toBe(candidates.length);
      }),
      { numRuns: 300 },
    );
  });

  test('ranking: why says what placed the item', () => {
    const why = explain(
      { id: 'x', createdAt: now - 24 * 3600_000, relation: 'friend', reactions: 3, comments: 1, shares: 1, hashtags: ['gatos', 'perros'] },
      new Set(['gatos']),
      now,
    );
    expect(why).toEqual({
      relation: 'friend',
      ageHours: 24,
      engagement: 8,
      topicWeight: 0.25,
      lessOf: ['gatos'],
      score: expect.any(Number),
    });
    expect(why.score).toBeCloseTo(1.5 * 0.5 * (1 + Math.log(9)) * 0.25, 3);
  });
});
