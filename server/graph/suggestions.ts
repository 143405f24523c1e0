// Friend suggestions: friends of friends (by mutual friends), owners of the species the viewer
// has, and people nearby who share their location publicly (within 50 km of the viewer's own,
// precise, location). Each source is capped before ranking, so the query stays bounded however
// many dog owners there are. Never suggested: the viewer, friends, anyone with a pending request
// either way, anyone blocked either way, anyone whose settings would refuse the viewer's request.
import { eq, inArray, sql } from 'drizzle-orm';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { users } from '../accounts/schema.ts';
import type { SocialDeps } from '../people/context.ts';
import { profiles } from '../people/schema.ts';
import { summaryColumns, toSummary } from '../people/summaries.ts';
import { rowsOf } from '../platform/db/rows.ts';

const NEAR_KM = 50;
const PER_SOURCE = 300;

interface Candidate {
  id: string;
  mutual: number;
  species: string[];
  distance_km: number | null;
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
      select latitude, longitude from profiles where user_id = ${viewerId} and latitude is not null
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
    near as (
      select pr.user_id as id,
        6371 * 2 * asin(sqrt(
          power(sin(radians(pr.latitude - me.latitude) / 2), 2) +
          cos(radians(me.latitude)) * cos(radians(pr.latitude)) * power(sin(radians(pr.longitude - me.longitude) / 2), 2)
        )) as distance_km
      from profiles pr cross join me
      join privacy_settings ps on ps.user_id = pr.user_id and ps.location = 'public'
      where pr.user_id <> ${viewerId} and pr.latitude between me.latitude - 0.5 and me.latitude + 0.5
    ),
    nearest as (select id, distance_km from near where distance_km <= ${NEAR_KM} order by distance_km limit ${PER_SOURCE}),
    candidates as (select id from fof union select id from same union select id from nearest)
    select c.id,
      coalesce(fof.mutual, 0) as mutual,
      coalesce(same.species, '{}') as species,
      nearest.distance_km,
      3 * coalesce(fof.mutual, 0) + coalesce(cardinality(same.species), 0)
        + coalesce(greatest(0, 2 * (1 - nearest.distance_km / ${NEAR_KM})), 0) as score
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
      inArray(
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
          distanceKm: candidate.distance_km === null ? null : Math.round(Number(candidate.distance_km)),
          score: Math.round(Number(candidate.score) * 10) / 10,
        },
      ];
    }),
  };
}
