// Friend suggestions: friends of friends (by mutual friends), owners of the species the viewer
// has, and people nearby who share their location publicly (within 50 km). Each source is capped
// before ranking, so the query stays bounded however many dog owners there are. Never suggested:
// the viewer, friends, anyone with a pending request either way, anyone blocked either way,
// anyone whose settings would refuse the viewer's request.
//
// Nearness never reveals more than the rounded location others already see: the distance is
// taken between the two rounded locations (0.01°, as profile.get shows them), and only its band
// leaves this file, in the answer and in the score. Moving one's own point within a rounded
// cell changes nothing; moving it across cells shows at most the other's rounded cell.
import { eq, type SQL, sql } from 'drizzle-orm';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { DISTANCE_BANDS, type DistanceBand } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';
import type { SocialDeps } from '../people/context.ts';
import { profiles } from '../people/schema.ts';
import { summaryColumns, toSummary } from '../people/summaries.ts';
import { anyOf } from '../platform/db/any-of.ts';
import { rowsOf } from '../platform/db/rows.ts';

const PER_SOURCE = 300;

/** What each band adds to the score (the band, never the distance, ranks). */
const BAND_POINTS: Record<DistanceBand, number> = { '0-1km': 2, '1-5km': 1.6, '5-10km': 1.2, '10-25km': 0.8, '25-50km': 0.4 };
const NEAR_KM = DISTANCE_BANDS[DISTANCE_BANDS.length - 1]?.upToKm ?? 50;

/** SQL: a coordinate rounded to 0.01° exactly as profiles.ts `roundCoordinate` rounds it
 * (float8 arithmetic, `Math.round` is floor(x + 0.5)). */
const rounded = (column: SQL) => sql`(floor(${column} * 100 + 0.5) / 100)`;

/** SQL: a CASE over the bands of `km` giving, per band, `pick(band)`. */
const byBand = (km: SQL, pick: (band: DistanceBand) => SQL) =>
  sql`case ${sql.join(
    DISTANCE_BANDS.map(({ band, upToKm }) => sql`when ${km} < ${upToKm} then ${pick(band)}`),
    sql` `,
  )} end`;

interface Candidate {
  id: string;
  mutual: number;
  species: string[];
  band: DistanceBand | null;
  score: number;
}

export async function suggestions(
  deps: Pick<SocialDeps, 'db'>,
  viewerId: string,
  limit = 10,
): Promise<CallResponse<'friends.suggestions'>> {
  const { db } = deps;
  const result = await db.execute(sql`
    with me as (
      select ${rounded(sql`latitude`)} as latitude, ${rounded(sql`longitude`)} as longitude
      from profiles where user_id = ${viewerId} and latitude is not null
    ),
    fof as (
      select f2.friend_id as id, count(*)::int as mutual
      from friendships f1 join friendships f2 on f2.user_id = f1.friend_id
      where f1.user_id = ${viewerId} and f2.friend_id <> ${viewerId}
      group by f2.friend_id order by mutual desc limit ${PER_SOURCE}
    ),
    same as (
      select p.owner_id as id, array_agg(distinct p.species order by p.species) as species
      from pets p
      where p.species in (select species from pets where owner_id = ${viewerId}) and p.owner_id <> ${viewerId}
      group by p.owner_id order by p.owner_id desc limit ${PER_SOURCE}
    ),
    theirs as (
      select pr.user_id as id, ${rounded(sql`pr.latitude`)} as latitude, ${rounded(sql`pr.longitude`)} as longitude
      from profiles pr cross join me
      join privacy_settings ps on ps.user_id = pr.user_id and ps.location = 'public'
      where pr.user_id <> ${viewerId} and pr.latitude between me.latitude - 0.5 and me.latitude + 0.5
    ),
    near as (
      select theirs.id,
        6371 * 2 * asin(sqrt(
          power(sin(radians(theirs.latitude - me.latitude) / 2), 2) +
          cos(radians(me.latitude)) * cos(radians(theirs.latitude)) * power(sin(radians(theirs.longitude - me.longitude) / 2), 2)
        )) as distance_km
      from theirs cross join me
    ),
    nearest as (
      select id, ${byBand(sql`distance_km`, (band) => sql`${band}::text`)} as band,
        ${byBand(sql`distance_km`, (band) => sql`${BAND_POINTS[band]}::float8`)} as points
      from near where distance_km < ${NEAR_KM} order by distance_km limit ${PER_SOURCE}
    ),
    candidates as (select id from fof union select id from same union select id from nearest)
    select c.id,
      coalesce(fof.mutual, 0) as mutual,
      coalesce(same.species, '{}') as species,
      nearest.band,
      3 * coalesce(fof.mutual, 0) + coalesce(cardinality(same.species), 0) + coalesce(nearest.points, 0) as score
    from candidates c
    left join fof on fof.id = c.id
    left join same on same.id = c.id
    left join nearest on nearest.id = c.id
    left join privacy_settings tp on tp.user_id = c.id
    where not exists (select 1 from friendships where user_id = ${viewerId} and friend_id = c.id)
      and not exists (select 1 from friend_requests where (from_user_id = ${viewerId} and to_user_id = c.id) or (from_user_id = c.id and to_user_id = ${viewerId}))
      and not exists (select 1 from blocks where (blocker_id = ${viewerId} and blocked_id = c.id) or (blocker_id = c.id and blocked_id = ${viewerId}))
      and (coalesce(tp.friend_requests, 'everyone') = 'everyone'
        or (tp.friend_requests = 'friends_of_friends' and coalesce(fof.mutual, 0) > 0))
    order by score desc, c.id desc
    limit ${limit}
  `);
  const candidates = rowsOf<Candidate>(result);
  if (candidates.length === 0) return { items: [] };
  const people = await db
    .select(summaryColumns)
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(
      anyOf(
        users.id,
        candidates.map((candidate) => candidate.id),
      ),
    );
  const byId = new Map(people.map((person) => [person.id, toSummary(person)]));
  return {
    items: candidates.flatMap((candidate) => {
      const person = byId.get(candidate.id);
      if (person === undefined) return [];
      return [
        {
          person,
          mutualFriends: Number(candidate.mutual),
          sharedSpecies: candidate.species,
          distanceBand: candidate.band,
          score: Math.round(Number(candidate.score) * 10) / 10,
        },
      ];
    }),
  };
}
