// Pets to meet, for Explore (pets.suggestions). Candidates come from three sources, each capped
// at CANDIDATES so the query stays bounded however many pets there are: pets of friends of
// friends, the newest pets of the caller's own species, and the newest pets. Each is ranked by
// shared friends (3 each), a shared species (2), being new (1, under 30 days) and having a photo
// (1). Only pets whose owner's `pets` audience takes in the caller (blocks on either side
// excluded by allowsSql); never the caller's own pets nor their friends' (already known); each
// owner at most twice, so one prolific owner does not fill the list. An owner who takes no friend
// requests never counts as a friend of friends (nor shows shared friends).
import { sql } from 'drizzle-orm';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { livePlanOf, type PlanId } from '../payments/entitlements.ts';
import type { SocialDeps } from '../people/context.ts';
import { allowsSql, petsAudienceSql } from '../people/privacy.ts';
import { toSummary } from '../people/summaries.ts';
import { rowsOf } from '../platform/db/rows.ts';

const CANDIDATES = 300;
const DEFAULT_LIMIT = 10;
const PER_OWNER = 2;

type Suggestion = CallResponse<'pets.suggestions'>['items'][number];

interface Row {
  id: string;
  name: string;
  species: Suggestion['pet']['species'];
  breed: string;
  photo_media_ids: string[];
  lost: boolean;
  owner_id: string;
  username: string;
  display_name: string | null;
  avatar_media_id: string | null;
  verified_at: Date | string | null;
  verified_with_plan: boolean | null;
  account_type: 'personal' | 'business' | null;
  plan: PlanId | null;
  mutual: number;
  same_species: boolean;
}

export async function petSuggestions(
  deps: Pick<SocialDeps, 'db'>,
  viewerId: string,
  limit = DEFAULT_LIMIT,
): Promise<CallResponse<'pets.suggestions'>> {
  const rows = rowsOf<Row>(
    await deps.db.execute(sql`
      with mine as (select distinct species from pets where owner_id = ${viewerId}),
      friends as (select friend_id from friendships where user_id = ${viewerId}),
      fof as (
        select f2.friend_id as owner_id, count(*)::int as mutual
        from friendships f1 join friendships f2 on f2.user_id = f1.friend_id
        where f1.user_id = ${viewerId} and f2.friend_id <> ${viewerId} and f2.friend_id not in (select friend_id from friends)
          -- Someone who takes no friend requests is not suggested as a friend of friends (as in
          -- friends.suggestions): their pets may still come as new or of the same species, without
          -- telling how many friends they share with the caller.
          and not exists (select 1 from privacy_settings p where p.user_id = f2.friend_id and p.friend_requests = 'nobody')
        group by f2.friend_id order by count(*) desc limit ${CANDIDATES}
      ),
      candidates as (
        (select pt.id from pets pt join fof on fof.owner_id = pt.owner_id limit ${CANDIDATES})
        union
        (select pt.id from pets pt where pt.species in (select species from mine) order by pt.id desc limit ${CANDIDATES})
        union
        (select pt.id from pets pt order by pt.id desc limit ${CANDIDATES})
      ),
      ranked as (
        select pt.id, pt.name, pt.species, pt.breed, pt.photo_media_ids, pt.lost_at is not null as lost, pt.owner_id,
          u.username, pr.display_name, pr.avatar_media_id, pr.verified_at, pr.verified_with_plan, pr.account_type,
          ${livePlanOf(sql`pt.owner_id`)} as plan,
          coalesce(fof.mutual, 0) as mutual,
          pt.species in (select species from mine) as same_species,
          coalesce(fof.mutual, 0) * 3
            + case when pt.species in (select species from mine) then 2 else 0 end
            + case when pt.created_at > now() - interval '30 days' then 1 else 0 end
            + case when cardinality(pt.photo_media_ids) > 0 then 1 else 0 end as score,
          pt.created_at
        from candidates c
        join pets pt on pt.id = c.id
        join users u on u.id = pt.owner_id
        left join profiles pr on pr.user_id = pt.owner_id
        left join privacy_settings ps on ps.user_id = pt.owner_id
        left join fof on fof.owner_id = pt.owner_id
        where pt.owner_id <> ${viewerId}
          and pt.owner_id not in (select friend_id from friends)
          and ${allowsSql(petsAudienceSql(sql`ps.pets`), sql`pt.owner_id`, viewerId)}
      ),
      per_owner as (
        select *, row_number() over (partition by owner_id order by score desc, created_at desc) as nth from ranked
      )
      select * from per_owner where nth <= ${PER_OWNER}
      order by score desc, created_at desc, id desc
      limit ${limit}`),
  );
  return {
    items: rows.map((row) => ({
      pet: { id: row.id, name: row.name, species: row.species, breed: row.breed, photoMediaIds: row.photo_media_ids, lost: row.lost },
      owner: toSummary({
        id: row.owner_id,
        username: row.username,
        displayName: row.display_name,
        avatarMediaId: row.avatar_media_id,
        verifiedAt: row.verified_at === null ? null : new Date(row.verified_at),
        verifiedWithPlan: row.verified_with_plan,
        accountType: row.account_type,
        plan: row.plan,
      }),
      reason: row.mutual > 0 ? 'friends_of_friends' : row.same_species ? 'same_species' : 'new',
      mutualFriends: row.mutual,
    })),
  };
}
