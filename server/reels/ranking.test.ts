import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  arrange,
  COLD_START_EVERY,
  COLD_START_REACH,
  ENGAGEMENT_PRIOR_VIEWS,
  engagementOf,
  explain,
  type Position,
  type ReelCandidate,
  type Taste,
  WEIGHTS,
} from './ranking.ts';

const now = Date.UTC(2026, 11, 7, 12);
const TAGS = ['perros', 'gatos', 'aves', 'playa', 'trucos'] as const;
const unit = (values: number[]) => {
  const norm = Math.hypot(...values);
  return norm === 0 ? null : values.map((value) => value / norm);
};
const vector = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }).map(unit);
const candidate = (creators: number) =>
  fc.record({
    id: fc.uuid(),
    creatorId: fc.integer({ min: 1, max: creators }).map((n) => `creator-${n}`),
    createdAt: fc.integer({ min: now - 7 * 24 * 3600_000, max: now }),
    hashtags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }),
    vector,
    views: fc.nat(100_000),
    engagements: fc.nat(100_000),
    creatorReach: fc.oneof(fc.nat(COLD_START_REACH - 1), fc.integer({ min: COLD_START_REACH, max: 1_000_000 })),
    widened: fc.constantFrom(null, 'older', 'language'),
  }) as fc.Arbitrary<ReelCandidate>;
const taste = fc.record({
  hashtags: fc.array(fc.tuple(fc.constantFrom(...TAGS), fc.double({ min: -3, max: 3, noNaN: true }))).map((pairs) => new Map(pairs)),
  vector,
  lessCreators: fc
    .array(
      fc.tuple(
        fc.integer({ min: 1, max: 6 }).map((n) => `creator-${n}`),
        fc.integer({ min: 1, max: 5 }),
      ),
    )
    .map((pairs) => new Map(pairs)),
}) as fc.Arbitrary<Taste>;
const position = fc.record({
  lastCreatorId: fc.option(
    fc.integer({ min: 1, max: 6 }).map((n) => `creator-${n}`),
    { nil: null },
  ),
  served: fc.nat(100),
}) as fc.Arbitrary<Position>;
const pool = fc.uniqueArray(candidate(6), { selector: (c) => c.id, maxLength: 60 });

describe('reels ranking', () => {
  test('reels ranking (property): no creator twice in a row, the previous page included; each reel once; only candidates', () => {
    fc.assert(
      fc.property(pool, taste, position, fc.integer({ min: 1, max: 30 }), (candidates, viewer, at, size) => {
        const page = arrange(candidates, viewer, now, at, size);
        const creators = [at.lastCreatorId, ...page.map((entry) => entry.candidate.creatorId)];
        for (let i = 1; i < creators.length; i++) expect(creators[i]).not.toBe(creators[i - 1]);
        expect(new Set(page.map((entry) => entry.candidate.id)).size).toBe(page.length);
        for (const entry of page) expect(candidates).toContain(entry.candidate);
        expect(page.length).toBeLessThanOrEqual(size);
      }),
      { numRuns: 400 },
    );
  });

  test('reels ranking (property): the page is only short when every reel left is by the creator just shown', () => {
    fc.assert(
      fc.property(pool, taste, position, fc.integer({ min: 1, max: 30 }), (candidates, viewer, at, size) => {
        const page = arrange(candidates, viewer, now, at, size);
        if (page.length === size || page.length === candidates.length) return;
        const shown = new Set(page.map((entry) => entry.candidate.id));
        const lastCreator = page.at(-1)?.candidate.creatorId ?? at.lastCreatorId;
        for (const left of candidates.filter((c) => !shown.has(c.id))) expect(left.creatorId).toBe(lastCreator);
      }),
      { numRuns: 400 },
    );
  });

  test('reels ranking (property): every 10th slot of the session goes to a creator with little reach when one may take it', () => {
    fc.assert(
      fc.property(pool, taste, position, (candidates, viewer, at) => {
        const page = arrange(candidates, viewer, now, at, 30);
        page.forEach((entry, index) => {
          const slot = at.served + index + 1;
          if (slot % COLD_START_EVERY !== 0) {
            expect(entry.why.rule).not.toBe('cold_start');
            return;
          }
          const before = index === 0 ? at.lastCreatorId : page[index - 1]?.candidate.creatorId;
          const shownBefore = new Set(page.slice(0, index).map((e) => e.candidate.id));
          const coldAvailable = candidates.some(
            (c) => !shownBefore.has(c.id) && c.creatorId !== before && c.creatorReach < COLD_START_REACH,
          );
          expect(entry.why.rule === 'cold_start').toBe(coldAvailable);
          if (coldAvailable) expect(entry.candidate.creatorReach).toBeLessThan(COLD_START_REACH);
        });
      }),
      { numRuns: 400 },
    );
  });

  test('reels ranking (property): terms lie in [0, 1] and why adds up to the score', () => {
    fc.assert(
      fc.property(candidate(6), taste, (reel, viewer) => {
        const why = explain(reel, viewer, now);
        for (const term of [why.hashtags, why.embedding, why.engagement, why.freshness, why.creator]) {
          expect(term).toBeGreaterThanOrEqual(0);
          expect(term).toBeLessThanOrEqual(1);
        }
        const sum =
          (WEIGHTS.hashtags * why.hashtags +
            WEIGHTS.embedding * why.embedding +
            WEIGHTS.engagement * why.engagement +
            WEIGHTS.freshness * why.freshness) *
          why.creator;
        expect(why.score).toBeCloseTo(sum, 3);
      }),
      { numRuns: 500 },
    );
  });

  test('reels ranking (property): newer, more engaging, closer to the taste score higher; "not interested" in a creator or a hashtag scores lower', () => {
    fc.assert(
      fc.property(candidate(6), taste, fc.integer({ min: 1, max: 48 * 3600_000 }), fc.nat(1000), (reel, viewer, older, more) => {
        const score = (c: ReelCandidate, t: Taste = viewer) => explain(c, t, now).exact;
        expect(score({ ...reel, createdAt: reel.createdAt - older })).toBeLessThanOrEqual(score(reel));
        expect(score({ ...reel, engagements: reel.engagements + more })).toBeGreaterThanOrEqual(score(reel));
        const lessCreators = new Map(viewer.lessCreators);
        lessCreators.set(reel.creatorId, (lessCreators.get(reel.creatorId) ?? 0) + 1);
        expect(score(reel, { ...viewer, lessCreators })).toBeLessThanOrEqual(score(reel));
        const [tag] = reel.hashtags;
        if (tag !== undefined) {
          const hashtags = new Map(viewer.hashtags);
          hashtags.set(tag, (hashtags.get(tag) ?? 0) - 1);
          // Lower or equal on the hashtag term; the rest of the score does not move.
          expect(explain(reel, { ...viewer, hashtags }, now).hashtags).toBeLessThanOrEqual(explain(reel, viewer, now).hashtags + 1e-9);
        }
        if (reel.vector !== null) expect(explain(reel, { ...viewer, vector: reel.vector }, now).embedding).toBeCloseTo(1, 6);
      }),
      { numRuns: 500 },
    );
  });

  test('reels ranking: engagement is smoothed, so three views and two likes do not beat 3,000 views and 900', () => {
    expect(engagementOf(3, 2)).toBeLessThan(engagementOf(3000, 900));
    expect(engagementOf(0, 0)).toBeCloseTo(0.1 / 0.5, 6);
    expect(engagementOf(ENGAGEMENT_PRIOR_VIEWS * 1000, ENGAGEMENT_PRIOR_VIEWS * 1000)).toBe(1);
  });

  test('reels ranking: a page of one creator’s reels and one other alternates as far as it can, and says why', () => {
    const reel = (id: string, creatorId: string, engagements: number, creatorReach = 10_000): ReelCandidate => ({
      id,
      creatorId,
      createdAt: now,
      hashtags: [],
      vector: null,
      views: 100,
      engagements,
      creatorReach,
      widened: null,
    });
    const viewer: Taste = { hashtags: new Map(), vector: null, lessCreators: new Map() };
    const page = arrange(
      [reel('a1', 'a', 30), reel('a2', 'a', 20), reel('a3', 'a', 10), reel('b1', 'b', 0)],
      viewer,
      now,
      { lastCreatorId: null, served: 0 },
      10,
    );
    expect(page.map((entry) => [entry.candidate.id, entry.why.rule])).toEqual([
      ['a1', 'score'],
      ['b1', 'diversity'],
      ['a2', 'score'],
    ]);
    const cold = arrange([reel('a1', 'a', 30), reel('c1', 'c', 0, 3)], viewer, now, { lastCreatorId: 'x', served: 9 }, 2);
    expect(cold.map((entry) => [entry.candidate.id, entry.why.rule])).toEqual([
      ['c1', 'cold_start'],
      ['a1', 'score'],
    ]);
  });
});
