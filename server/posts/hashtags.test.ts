import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createMemoryCache } from '../platform/cache/memory.ts';
import { HALF_LIFE_MS, regionsOf, Trends } from './hashtags.ts';

const HOUR = 3600_000;
const noon = Date.UTC(2026, 10, 24, 12);

describe('trends', () => {
  test('trends: a post counts 1 when new and half as much one half-life later, across midnight too', async () => {
    const trends = new Trends(createMemoryCache());
    await trends.count('es-MX', ['perros'], noon);
    expect(await trends.top('es-MX', 5, noon)).toEqual([{ tag: 'perros', score: 1 }]);
    expect(await trends.top('es-MX', 5, noon + HALF_LIFE_MS)).toEqual([{ tag: 'perros', score: 0.5 }]);
    // 12 hours later it is the next day: yesterday's set is read with its decay.
    expect(await trends.top('es', 5, noon + 2 * HALF_LIFE_MS)).toEqual([{ tag: 'perros', score: 0.25 }]);
  });

  test('trends: fresh posts outrank more numerous old ones; regions are apart; a locale counts in its language and everywhere', async () => {
    const trends = new Trends(createMemoryCache());
    for (let i = 0; i < 3; i++) await trends.count('es-MX', ['gatos'], noon - 18 * HOUR);
    await trends.count('es-MX', ['perros'], noon);
    await trends.count('pt-BR', ['cachorros'], noon);
    expect((await trends.top('es-MX', 5, noon)).map((entry) => entry.tag)).toEqual(['perros', 'gatos']);
    expect((await trends.top('es', 5, noon)).map((entry) => entry.tag)).toEqual(['perros', 'gatos']);
    expect((await trends.top('pt', 5, noon)).map((entry) => entry.tag)).toEqual(['cachorros']);
    expect((await trends.top('all', 5, noon)).map((entry) => entry.tag)).toEqual(['cachorros', 'perros', 'gatos']);
    expect(regionsOf('en')).toEqual(['en', 'all']);
    expect(regionsOf('es-MX')).toEqual(['es-MX', 'es', 'all']);
  });

  test('trends: a post taken back (deleted, made private) no longer counts', async () => {
    const trends = new Trends(createMemoryCache());
    const now = Date.now();
    await trends.count('es-MX', ['perros', 'gatos'], now - 3600_000);
    await trends.count('es-MX', ['perros'], now);
    await trends.uncount('es-MX', ['perros', 'gatos'], now - 3600_000);
    expect((await trends.top('es', 5, now)).map((entry) => entry.tag)).toEqual(['perros']);
    expect((await trends.top('es', 5, now))[0]?.score).toBeCloseTo(1, 2);
  });

  test('trends (property): the order at any moment equals the order of exactly decayed counts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ tag: fc.constantFrom('a', 'b', 'c', 'd'), ageHours: fc.double({ min: 0, max: 30, noNaN: true }) }), {
          minLength: 1,
          maxLength: 30,
        }),
        async (events) => {
          const trends = new Trends(createMemoryCache());
          const now = noon + 6 * HOUR;
          const exact = new Map<string, number>();
          for (const event of events) {
            await trends.count('en', [event.tag], now - event.ageHours * HOUR);
            exact.set(event.tag, (exact.get(event.tag) ?? 0) + 2 ** (-(event.ageHours * HOUR) / HALF_LIFE_MS));
          }
          const top = await trends.top('en', 4, now);
          for (const entry of top) expect(entry.score).toBeCloseTo(exact.get(entry.tag) ?? 0, 1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
