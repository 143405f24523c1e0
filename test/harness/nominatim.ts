// A local geocoder speaking Nominatim's HTTP API (jsonv2): GET /search?q=&format=jsonv2&
// addressdetails=1&limit=&accept-language= answers an array of places, GET /reverse?lat=&lon=&
// zoom=&format=jsonv2 the place nearest the point (or {"error":"Unable to geocode"} when none is
// within reach), in the shape the real service gives, names in the asked language where it has
// them. It records every request (path, query, User-Agent) and can be made to fail or to answer
// with something else.

interface Gazetteer {
  names: Record<string, string>;
  lat: number;
  lon: number;
  state: Record<string, string>;
  country: Record<string, string>;
  kind: 'city' | 'town';
}

const PLACES: Gazetteer[] = [
  {
    names: { en: 'Mexico City', es: 'Ciudad de México' },
    lat: 19.4326,
    lon: -99.1332,
    state: { en: 'Mexico City', es: 'Ciudad de México' },
    country: { en: 'Mexico', es: 'México' },
    kind: 'city',
  },
  {
    names: { en: 'Guadalajara', es: 'Guadalajara' },
    lat: 20.6767,
    lon: -103.3475,
    state: { en: 'Jalisco', es: 'Jalisco' },
    country: { en: 'Mexico', es: 'México' },
    kind: 'city',
  },
  {
    names: { en: 'Guadalajara', es: 'Guadalajara' },
    lat: 40.6337,
    lon: -3.1674,
    state: { en: 'Castile-La Mancha', es: 'Castilla-La Mancha' },
    country: { en: 'Spain', es: 'España' },
    kind: 'city',
  },
  {
    names: { en: 'Madrid', es: 'Madrid' },
    lat: 40.4168,
    lon: -3.7038,
    state: { en: 'Community of Madrid', es: 'Comunidad de Madrid' },
    country: { en: 'Spain', es: 'España' },
    kind: 'city',
  },
  {
    names: { en: 'Cairo', ar: 'القاهرة' },
    lat: 30.0444,
    lon: 31.2357,
    state: { en: 'Cairo Governorate', ar: 'محافظة القاهرة' },
    country: { en: 'Egypt', ar: 'مصر' },
    kind: 'city',
  },
  {
    names: { en: 'Tepoztlán', es: 'Tepoztlán' },
    lat: 18.9847,
    lon: -99.0931,
    state: { en: 'Morelos', es: 'Morelos' },
    country: { en: 'Mexico', es: 'México' },
    kind: 'town',
  },
];

interface Request {
  path: string;
  params: Record<string, string>;
  userAgent: string | null;
}

export interface FakeNominatim {
  readonly url: string;
  readonly requests: Request[];
  /** Every answer is this HTTP status until `heal()`. */
  fail(status: number): void;
  /** Every answer is this body (as JSON) until `heal()`. */
  answer(body: unknown): void;
  heal(): void;
  close(): void;
}

const pick = (names: Record<string, string>, language: string) => names[language.split('-')[0] ?? 'en'] ?? names.en ?? '';

function asNominatim(place: Gazetteer, language: string) {
  const name = pick(place.names, language);
  return {
    place_id: Math.round(place.lat * 1000 + place.lon),
    licence: 'Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright',
    osm_type: 'relation',
    lat: place.lat.toFixed(7),
    lon: place.lon.toFixed(7),
    category: 'boundary',
    type: 'administrative',
    place_rank: 16,
    importance: 0.7,
    addresstype: place.kind,
    name,
    display_name: [name, pick(place.state, language), pick(place.country, language)].join(', '),
    address: { [place.kind]: name, state: pick(place.state, language), country: pick(place.country, language), country_code: 'xx' },
    boundingbox: [String(place.lat - 0.2), String(place.lat + 0.2), String(place.lon - 0.2), String(place.lon + 0.2)],
  };
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function startFakeNominatim(): FakeNominatim {
  const requests: Request[] = [];
  let failing: number | undefined;
  let canned: unknown;
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request) {
      const url = new URL(request.url);
      const params = Object.fromEntries(url.searchParams);
      requests.push({ path: url.pathname, params, userAgent: request.headers.get('user-agent') });
      if (failing !== undefined) return new Response('<html>Bandwidth limit exceeded</html>', { status: failing });
      if (canned !== undefined) return Response.json(canned);
      const language = params['accept-language'] ?? 'en';
      if (params.format !== 'jsonv2') return new Response('format', { status: 400 });
      if (url.pathname === '/search') {
        const query = fold(params.q ?? '');
        const limit = Math.min(Number(params.limit ?? 10), 40);
        const found = PLACES.filter((place) => Object.values(place.names).some((name) => fold(name).includes(query)));
        return Response.json(found.slice(0, limit).map((place) => asNominatim(place, language)));
      }
      if (url.pathname === '/reverse') {
        const lat = Number(params.lat);
        const lon = Number(params.lon);
        if (!Number.isFinite(lat) || !Number.isFinite(lon))
          return Response.json({ error: 'Floating-point number expected for parameter lat' }, { status: 400 });
        const near = PLACES.map((place) => ({ place, distance: Math.hypot(place.lat - lat, place.lon - lon) })).sort(
          (a, b) => a.distance - b.distance,
        )[0];
        if (near === undefined || near.distance > 0.5) return Response.json({ error: 'Unable to geocode' });
        return Response.json(asNominatim(near.place, language));
      }
      return new Response('not found', { status: 404 });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    fail(status) {
      failing = status;
    },
    answer(body) {
      canned = body;
    },
    heal() {
      failing = undefined;
      canned = undefined;
    },
    close() {
      server.stop(true);
    },
  };
}
