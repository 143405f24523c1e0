// Place names for locations: a client of a geocoder that speaks Nominatim's HTTP API (the
// OpenStreetMap one by default, or one's own: GEOCODER_URL). People pick where they are by a name
// (`search`, towns and cities only) or with their device's location (`reverse`), never by typing
// coordinates. Answers are cached for a day (shared by the nodes through the cache) per language
// (one of the 20), each user's lookups are counted against PLACE_LOOKUPS_PER_MINUTE, and what
// reaches the geocoder is bounded for the whole deployment (GEOCODER_REQUESTS_PER_SECOND: the
// public instance allows about one a second), with the same lookup asked once while in flight. A
// point is rounded to 0.01° before the geocoder sees it. Whatever the geocoder answers is read as
// untrusted input: a body read up to a limit, checked fields, a plain label; its failures are
// logged, and the caller learns only that the lookup failed.
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import type { RateLimiter } from '../accounts/rate-limits.ts';
import { DependencyError, InvalidInputError, RateLimitedError } from '../errors.ts';
import { isLanguage } from '../i18n/languages.ts';
import type { Cache } from '../platform/cache/index.ts';
import type { Logger } from '../platform/log.ts';

export interface PlacesConfig {
  /** Where the geocoder is; undefined turns place lookups off (DEPENDENCY_UNAVAILABLE). */
  geocoderUrl: URL | undefined;
  /** Sent as User-Agent: Nominatim's usage policy asks each application to name itself. */
  userAgent: string;
  lookupsPerMinute: number;
  /** Requests to the geocoder per second from the whole deployment (cache misses only). */
  requestsPerSecond: number;
}

type Place = CallResponse<'places.reverse'>;

const RESULTS = 5;
const TIMEOUT_MS = 5000;
const MAX_BODY_BYTES = 256 * 1024;
const CACHE_TTL_MS = 24 * 60 * 60_000;
const PLACE_NAME_MAX = 100;

/** The address parts of a Nominatim answer that name a settlement, most specific first. */
const SETTLEMENT = ['city', 'town', 'village', 'hamlet', 'municipality', 'suburb', 'county'] as const;

interface NominatimPlace {
  lat?: unknown;
  lon?: unknown;
  name?: unknown;
  display_name?: unknown;
  address?: Record<string, unknown>;
  error?: unknown;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

const words = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** "Guadalajara, Jalisco, México": the place, its region and country, each once, within 100 characters. */
export function placeNameOf(found: NominatimPlace): string {
  const address = found.address ?? {};
  const settlement = SETTLEMENT.map((part) => words(address[part])).find((part) => part !== undefined);
  const parts = [words(found.name) ?? settlement, words(address.state), words(address.country)].filter(
    (part): part is string => part !== undefined,
  );
  const unique = parts.filter((part, i) => parts.indexOf(part) === i);
  let name = unique.length > 0 ? unique.join(', ') : (words(found.display_name) ?? '');
  // Plain text only: no control or invisible formatting characters (bidi overrides), no markup.
  name = name.replace(/[\p{Cc}\p{Cf}<>]/gu, '');
  return name.length <= PLACE_NAME_MAX ? name : `${name.slice(0, PLACE_NAME_MAX - 1)}…`;
}

function coordinate(value: unknown, limit: number): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(number) && Math.abs(number) <= limit ? number : undefined;
}

/** The language names come in: one of the 20 (Traditional Chinese apart), so the cache holds at most 21 answers per place. */
function languageOf(requested: string | undefined): string {
  if (requested === undefined) return 'en';
  if (/^zh-(TW|HK|Hant)/i.test(requested)) return 'zh-TW';
  const base = requested.split('-')[0]?.toLowerCase() ?? '';
  if (!isLanguage(base)) throw new InvalidInputError('language must be one of the 20 languages (es, pt-BR)', { field: 'language' });
  return base;
}

export class Places {
  readonly #config: PlacesConfig;
  readonly #cache: Cache;
  readonly #limiter: RateLimiter;
  readonly #log: Logger;
  /** Lookups in flight on this node, by cache key: the same one asked again waits for the first. */
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(config: PlacesConfig, cache: Cache, limiter: RateLimiter, log: Logger) {
    this.#config = config;
    this.#cache = cache;
    this.#limiter = limiter;
    this.#log = log;
  }

  async search(userId: string, request: CallRequest<'places.search'>): Promise<CallResponse<'places.search'>> {
    const query = request.query.normalize('NFKC').trim().replace(/\s+/g, ' ').slice(0, 100);
    const language = languageOf(request.language);
    return this.#cached(userId, `places:search:${language}:${query.toLowerCase()}`, async () => {
      const found = await this.#get(
        'search',
        { q: query, format: 'jsonv2', addressdetails: '1', limit: String(RESULTS), featureType: 'settlement' },
        language,
      );
      const items: Place[] = [];
      for (const entry of Array.isArray(found) ? (found as NominatimPlace[]).slice(0, RESULTS) : []) {
        const latitude = coordinate(entry?.lat, 90);
        const longitude = coordinate(entry?.lon, 180);
        const placeName = typeof entry === 'object' && entry !== null ? placeNameOf(entry) : '';
        if (latitude !== undefined && longitude !== undefined && placeName !== '') items.push({ placeName, latitude, longitude });
      }
      return { items };
    });
  }

  async reverse(userId: string, request: CallRequest<'places.reverse'>): Promise<Place> {
    const latitude = round2(request.latitude);
    const longitude = round2(request.longitude);
    const language = languageOf(request.language);
    return this.#cached(userId, `places:reverse:${language}:${latitude}:${longitude}`, async () => {
      const found = (await this.#get(
        'reverse',
        { lat: String(latitude), lon: String(longitude), format: 'jsonv2', addressdetails: '1', zoom: '10' },
        language,
      )) as NominatimPlace | null;
      const placeName = typeof found === 'object' && found !== null && found.error === undefined ? placeNameOf(found) : '';
      return { placeName, latitude, longitude };
    });
  }

  /** Counts the lookup, then answers from the cache or asks the geocoder (and caches its answer). */
  async #cached<R>(userId: string, key: string, ask: () => Promise<R>): Promise<R> {
    await this.#limiter.hit({ name: 'place lookups', max: this.#config.lookupsPerMinute, windowMs: 60_000 }, userId);
    const hit = await this.#cache.get(key);
    if (hit !== null) return JSON.parse(hit) as R;
    const pending = this.#inFlight.get(key);
    if (pending !== undefined) return (await pending) as R;
    const asking = (async () => {
      // The deployment's budget at the geocoder, shared by every node: past it, nobody's miss is sent.
      const [waitMs] = await this.#cache.spendTokens(
        { perSecond: this.#config.requestsPerSecond, burst: this.#config.requestsPerSecond * 2 },
        [{ key: 'geocoder:requests', count: 1 }],
      );
      if ((waitMs ?? 0) > 0) throw new RateLimitedError('place lookups on this server', Math.max(1, Math.ceil((waitMs ?? 0) / 1000)));
      const answer = await ask();
      await this.#cache.set(key, JSON.stringify(answer), { ttlMs: CACHE_TTL_MS });
      return answer;
    })();
    this.#inFlight.set(key, asking);
    try {
      return await asking;
    } finally {
      this.#inFlight.delete(key);
    }
  }

  async #get(path: 'search' | 'reverse', params: Record<string, string>, language: string): Promise<unknown> {
    const base = this.#config.geocoderUrl;
    if (base === undefined) throw new DependencyError('geocoder', 'place lookups are off (GEOCODER_URL is empty)');
    const url = new URL(path, base.href.endsWith('/') ? base : `${base.href}/`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    url.searchParams.set('accept-language', language);
    try {
      const response = await fetch(url, {
        headers: { 'user-agent': this.#config.userAgent, accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      // Read up to the limit (after decompression), never the whole of whatever comes.
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        if (size > MAX_BODY_BYTES) {
          await response.body?.cancel();
          throw new Error(`an answer over ${MAX_BODY_BYTES} bytes`);
        }
        chunks.push(chunk);
      }
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch (error) {
      this.#log.warn({ err: error, path }, `places.${path}() | geocoder failed [host:${url.host}]`);
      throw new DependencyError('geocoder', 'the place lookup failed', { cause: error });
    }
  }
}
