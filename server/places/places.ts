// Place names for locations: a client of a geocoder that speaks Nominatim's HTTP API (the
// OpenStreetMap one by default, or one's own: GEOCODER_URL). People pick where they are by a name
// (`search`) or with their device's location (`reverse`), never by typing coordinates. Answers are
// cached for a day (shared by the nodes through the cache), each user's lookups are counted
// against PLACE_LOOKUPS_PER_MINUTE, and a point is rounded to 0.01° before the geocoder sees it.
// Whatever the geocoder answers is read as untrusted input: a bounded body, checked fields.
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import type { RateLimiter } from '../accounts/rate-limits.ts';
import { DependencyError } from '../errors.ts';
import type { Cache } from '../platform/cache/index.ts';
import type { Logger } from '../platform/log.ts';

export interface PlacesConfig {
  /** Where the geocoder is; undefined turns place lookups off (DEPENDENCY_UNAVAILABLE). */
  geocoderUrl: URL | undefined;
  /** Sent as User-Agent: Nominatim's usage policy asks each application to name itself. */
  userAgent: string;
  lookupsPerMinute: number;
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
  // Plain text only: no control characters, no markup.
  name = name.replace(/[\p{Cc}<>]/gu, '');
  return name.length <= PLACE_NAME_MAX ? name : `${name.slice(0, PLACE_NAME_MAX - 1)}…`;
}

function coordinate(value: unknown, limit: number): number | undefined {
  const number = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(number) && Math.abs(number) <= limit ? number : undefined;
}

export class Places {
  readonly #config: PlacesConfig;
  readonly #cache: Cache;
  readonly #limiter: RateLimiter;
  readonly #log: Logger;

  constructor(config: PlacesConfig, cache: Cache, limiter: RateLimiter, log: Logger) {
    this.#config = config;
    this.#cache = cache;
    this.#limiter = limiter;
    this.#log = log;
  }

  async search(userId: string, request: CallRequest<'places.search'>): Promise<CallResponse<'places.search'>> {
    const query = request.query.normalize('NFKC').trim().replace(/\s+/g, ' ');
    const language = request.language ?? 'en';
    return this.#cached(userId, `places:search:${language}:${query.toLowerCase()}`, async () => {
      const found = await this.#get('search', { q: query, format: 'jsonv2', addressdetails: '1', limit: String(RESULTS) }, language);
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
    const language = request.language ?? 'en';
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
    const answer = await ask();
    await this.#cache.set(key, JSON.stringify(answer), { ttlMs: CACHE_TTL_MS });
    return answer;
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
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > MAX_BODY_BYTES) throw new Error(`an answer of ${declared} bytes`);
      const bytes = await response.arrayBuffer();
      if (bytes.byteLength > MAX_BODY_BYTES) throw new Error(`an answer of ${bytes.byteLength} bytes`);
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch (error) {
      this.#log.warn({ err: error, path }, `places.${path}() | geocoder failed [host:${url.host}]`);
      throw new DependencyError('geocoder', `the place lookup failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
