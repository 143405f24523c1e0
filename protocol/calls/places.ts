// Calls about places: finding a place by name, and naming the place at a point, so that people
// pick where they are by a name or with their device's location, never by typing coordinates.
// The server asks a geocoder that speaks Nominatim's HTTP API (GEOCODER_URL), caches its answers,
// and counts each user's lookups against PLACE_LOOKUPS_PER_MINUTE.

import type { CallSpec } from '../spec.ts';
import { T } from '../typebox.ts';

const Language = T.String({
  pattern: '^[a-z]{2,3}(-[A-Za-z]{2,4})?$',
  maxLength: 10,
  description:
    'The language for names: one of the 20 (es), a regional variant counting as its language (pt-BR is pt; zh-TW apart); English when absent. Another language is INVALID_INPUT',
});

const Place = T.Object({
  placeName: T.String({ maxLength: 100, description: 'What to show: the place, its region and country ("Guadalajara, Jalisco, México")' }),
  latitude: T.Number({ minimum: -90, maximum: 90 }),
  longitude: T.Number({ minimum: -180, maximum: 180 }),
});

const examplePlace = { placeName: 'Guadalajara, Jalisco, México', latitude: 20.6767, longitude: -103.3475 };

export const placeCalls = {
  'places.search': {
    description:
      'Towns and cities whose name matches `query`, best match first, at most 5. The result can be given as is to `profile.update` as `location`. Answers come from the geocoder (cached for a day); DEPENDENCY_UNAVAILABLE when it cannot be reached or answers wrongly. Each user may look up PLACE_LOOKUPS_PER_MINUTE places a minute (30 by default; search and reverse together), and the whole server asks the geocoder at most GEOCODER_REQUESTS_PER_SECOND times a second (1 by default): RATE_LIMITED (with `retryAfterMs`) beyond either.',
    role: 'user',
    errors: ['INVALID_INPUT', 'DEPENDENCY_UNAVAILABLE'],
    request: T.Object({ query: T.String({ minLength: 2, maxLength: 100 }), language: T.Optional(Language) }),
    response: T.Object({ items: T.Array(Place, { maxItems: 5 }) }),
    example: { request: { query: 'Guadalajara', language: 'es' }, response: { items: [examplePlace] } },
  },
  'places.reverse': {
    description:
      "The place at a point, as the device's location gives it: the point is rounded to 0.01° (about 1 km) before the geocoder sees it, and the answer is that rounded point with the name of the town or city there ('' when none: open sea). Same limit and errors as `places.search`.",
    role: 'user',
    errors: ['INVALID_INPUT', 'DEPENDENCY_UNAVAILABLE'],
    request: T.Object({
      latitude: T.Number({ minimum: -90, maximum: 90 }),
      longitude: T.Number({ minimum: -180, maximum: 180 }),
      language: T.Optional(Language),
    }),
    response: Place,
    example: { request: { latitude: 20.67671, longitude: -103.34749 }, response: { ...examplePlace, latitude: 20.68, longitude: -103.35 } },
  },
} satisfies Record<string, CallSpec>;
