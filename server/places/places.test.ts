// Place lookups through a local geocoder that speaks Nominatim's HTTP API: names in the caller's
// language, a short "place, region, country" label, a point rounded before the geocoder sees it,
// answers cached, each user's lookups limited, and whatever the geocoder answers treated as
// untrusted (failures, odd bodies) with a typed error and nothing else.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { testLogger } from '../../test/harness/node.ts';
import { type FakeNominatim, startFakeNominatim } from '../../test/harness/nominatim.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';
import { RateLimiter } from '../accounts/rate-limits.ts';
import { RateLimitedError } from '../errors.ts';
import { createMemoryCache } from '../platform/cache/memory.ts';
import { Places, placeNameOf } from './places.ts';

let env: AccountsEnv;
let geocoder: FakeNominatim;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  geocoder = startFakeNominatim();
  env = await startAccountsEnv('places', {
    GEOCODER_URL: geocoder.url,
    GEOCODER_USER_AGENT: 'PetAmigos tests (+ops@petamigos.test)',
    PLACE_LOOKUPS_PER_MINUTE: '8',
    GEOCODER_REQUESTS_PER_SECOND: '1000',
  });
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
  geocoder.close();
});

const member = (): Promise<Member> => pool.member();

describe('places', () => {
  test('places: a search finds places by name in the asked language, labelled place, region, country, and names the app to the geocoder', async () => {
    const ana = await member();
    const found = await ana.call('places.search', { query: 'guadalajara', language: 'es' });
    expect(found.items).toEqual([
      { placeName: 'Guadalajara, Jalisco, México', latitude: 20.6767, longitude: -103.3475 },
      { placeName: 'Guadalajara, Castilla-La Mancha, España', latitude: 40.6337, longitude: -3.1674 },
    ]);
    const asked = geocoder.requests.at(-1);
    expect(asked).toMatchObject({ path: '/search', userAgent: 'PetAmigos tests (+ops@petamigos.test)' });
    expect(asked?.params).toMatchObject({
      q: 'guadalajara',
      format: 'jsonv2',
      'accept-language': 'es',
      limit: '5',
      featureType: 'settlement',
    });
    const arabic = await ana.call('places.search', { query: 'cairo', language: 'ar' });
    expect(arabic.items[0]?.placeName).toBe('القاهرة, محافظة القاهرة, مصر');
    expect((await ana.call('places.search', { query: 'nowhere at all' })).items).toEqual([]);
  });

  test('places: the same search again is answered from the cache, for anyone; another language is its own answer', async () => {
    const [ana, ben] = await Promise.all([member(), member()]);
    const before = geocoder.requests.length;
    const first = await ana.call('places.search', { query: 'Tepoztlán', language: 'es' });
    expect(geocoder.requests.length).toBe(before + 1);
    // Spacing and case do not make another lookup.
    expect(await ben.call('places.search', { query: '  tepoztlán ', language: 'es' })).toEqual(first);
    expect(geocoder.requests.length).toBe(before + 1);
    await ben.call('places.search', { query: 'Tepoztlán', language: 'en' });
    expect(geocoder.requests.length).toBe(before + 2);
  });

  test("places: a device's point is rounded to 0.01° before the geocoder sees it, and the answer is that rounded point with the town's name", async () => {
    const ana = await member();
    const here = await ana.call('places.reverse', { latitude: 20.676712345, longitude: -103.347498765, language: 'es' });
    expect(here).toEqual({ placeName: 'Guadalajara, Jalisco, México', latitude: 20.68, longitude: -103.35 });
    expect(geocoder.requests.at(-1)?.params).toMatchObject({ lat: '20.68', lon: '-103.35', zoom: '10', format: 'jsonv2' });
    // Open sea: no name, the rounded point still given.
    expect(await ana.call('places.reverse', { latitude: 0.001, longitude: -150.004 })).toEqual({
      placeName: '',
      latitude: 0,
      longitude: -150,
    });
    // What the search gives can be saved as the profile's location as it is.
    await ana.call('profile.update', { location: here });
    expect((await ana.call('profile.get', { userId: ana.id })).location).toEqual(here);
  });

  test('places: each user has PLACE_LOOKUPS_PER_MINUTE lookups a minute, cached ones included; past it RATE_LIMITED with retryAfterMs, other users unaffected', async () => {
    const [eve, ben] = await Promise.all([member(), member()]);
    for (let i = 0; i < 8; i++) await eve.call('places.search', { query: i % 2 === 0 ? 'cairo' : 'mexico' });
    const refused = await eve.refused('places.reverse', { latitude: 19.43, longitude: -99.13 });
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details?.retryAfterMs).toBeGreaterThan(0);
    expect((await ben.call('places.search', { query: 'cairo' })).items).toHaveLength(1);
  });

  test('places: a geocoder that fails, answers garbage or out-of-range points gives DEPENDENCY_UNAVAILABLE or drops the bad entries, never a bad place', async () => {
    const ana = await member();
    try {
      geocoder.fail(509);
      expect((await ana.refused('places.search', { query: 'unknown town one' })).code).toBe('DEPENDENCY_UNAVAILABLE');
      geocoder.heal();
      geocoder.answer({ not: 'a list' });
      expect(await ana.call('places.search', { query: 'unknown town two' })).toEqual({ items: [] });
      geocoder.answer([
        { lat: '95.1', lon: '10', name: 'Beyond the pole' },
        { lat: 'x', lon: '10', name: 'Not a number' },
        { lat: '', lon: '10', name: 'No latitude' },
        { lat: '10', lon: '10', name: `<script>alert(1)</script>\u202Eevil${'a'.repeat(200)}`, address: { country: 'Nowhere' } },
      ]);
      const odd = await ana.call('places.search', { query: 'unknown town three' });
      expect(odd.items).toHaveLength(1);
      expect(odd.items[0]?.placeName).toHaveLength(100);
      expect(odd.items[0]?.placeName).not.toMatch(/[<>\u202E]/);
      // An answer too big is not read to its end: the lookup fails.
      geocoder.answer(Array.from({ length: 3000 }, (_, i) => ({ lat: '1', lon: '1', name: `Place ${i} ${'x'.repeat(80)}` })));
      const huge = await ana.refused('places.search', { query: 'unknown town four' });
      expect(huge.code).toBe('DEPENDENCY_UNAVAILABLE');
      // What failed upstream stays in the log: the caller learns only that the lookup failed.
      geocoder.fail(429);
      const throttled = await ana.socket.request({ type: 'call', op: 'places.search', body: { query: 'unknown town five' } });
      expect(throttled).toMatchObject({ type: 'error', code: 'DEPENDENCY_UNAVAILABLE' });
      expect(String(throttled.message)).not.toContain('429');
    } finally {
      geocoder.heal();
    }
    // A failure is not cached: the next lookup asks again and succeeds.
    geocoder.answer([{ lat: '1', lon: '2', name: 'Healed' }]);
    try {
      expect((await ana.call('places.search', { query: 'unknown town one' })).items).toEqual([
        { placeName: 'Healed', latitude: 1, longitude: 2 },
      ]);
    } finally {
      geocoder.heal();
    }
  });

  test('places: the attacker calls: extra fields, an empty or huge query, a point off the globe, a language that is not one: INVALID_BODY, and the geocoder never asked', async () => {
    const ana = await member();
    const before = geocoder.requests.length;
    for (const [op, body] of [
      ['places.search', { query: 'cairo', url: 'http://evil.example' }],
      ['places.search', { query: 'c' }],
      ['places.search', { query: 'x'.repeat(101) }],
      ['places.search', { query: 'cairo', language: 'en&q=other' }],
      ['places.reverse', { latitude: 91, longitude: 0 }],
      ['places.reverse', { latitude: 0, longitude: 181, extra: { deep: true } }],
      ['places.reverse', { latitude: '19.4', longitude: 0 }],
    ] as const) {
      expect((await ana.refused(op, body)).code, `${op} ${JSON.stringify(body)}`).toBe('INVALID_BODY');
    }
    // A language that is not one of the 20 would only fill the cache with copies.
    expect(await ana.refused('places.search', { query: 'cairo', language: 'zz-QQQ' })).toMatchObject({
      code: 'INVALID_INPUT',
      details: { field: 'language' },
    });
    expect(geocoder.requests.length).toBe(before);
  });

  test('places: the label takes the place, its region and country once each, and the settlement when the entry has no name', () => {
    expect(
      placeNameOf({
        name: 'Roma Norte',
        address: { suburb: 'Roma Norte', city: 'Ciudad de México', state: 'Ciudad de México', country: 'México' },
      }),
    ).toBe('Roma Norte, Ciudad de México, México');
    expect(placeNameOf({ address: { village: 'Amatlán', state: 'Morelos', country: 'México' } })).toBe('Amatlán, Morelos, México');
    expect(placeNameOf({ display_name: 'Somewhere, Far' })).toBe('Somewhere, Far');
    expect(placeNameOf({})).toBe('');
  });

  test('places: the whole server asks the geocoder at most GEOCODER_REQUESTS_PER_SECOND times a second (a burst of twice that), RATE_LIMITED beyond; cached answers still come; one lookup in flight is asked once', async () => {
    const cache = createMemoryCache();
    const places = new Places(
      { geocoderUrl: new URL(geocoder.url), userAgent: 'test', lookupsPerMinute: 1000, requestsPerSecond: 1 },
      cache,
      new RateLimiter(cache),
      testLogger(),
    );
    const before = geocoder.requests.length;
    // Three asking for the same place at once: one request.
    const same = await Promise.all(['u1', 'u2', 'u3'].map((user) => places.search(user, { query: 'madrid' })));
    expect(new Set(same.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(geocoder.requests.length).toBe(before + 1);
    await places.search('u1', { query: 'cairo' });
    const refused = await places.search('u1', { query: 'tepoztlan' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(geocoder.requests.length).toBe(before + 2);
    // Answers already cached do not need the geocoder.
    expect((await places.search('u2', { query: 'Madrid' })).items[0]?.placeName).toBe('Madrid, Community of Madrid, Spain');
  });
});
