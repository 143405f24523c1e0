// The stories tray: for one viewer, the people among their friends and those they follow (and
// themselves) with active stories the viewer may see, one item each, in the order the row shows
// them. One statement: the candidates are the viewer's own friendship and follow rows (an index
// range each; the friendship row says whether they are in the viewer's circle), less the people
// the viewer muted (read once); their active stories an index range per candidate
// (stories_author_active), and the visibility rule the same SQL as every other read path. The
// viewer's views of the last 30 days are counted per author once, and names are read for the
// items kept only. bench/stories.ts measures it (500 friends, 200 of them with stories).
import type { Static } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { TrayItem } from '../../protocol/calls/stories.ts';
import { livePlanOf, type PlanId } from '../payments/entitlements.ts';
import { toSummary } from '../people/summaries.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { storyVisibleTo } from './visibility.ts';

type Item = Static<typeof TrayItem>;

/** Items in the tray at most. */
export const TRAY_MAX = 100;
/** How far back the viewer's own views count as "interactions" for the order. */
const AFFINITY_DAYS = 30;

interface Row {
  author_id: string;
  username: string;
  display_name: string | null;
  avatar_media_id: string | null;
  verified_at: Date | string | null;
  verified_with_plan: boolean | null;
  account_type: 'personal' | 'business' | null;
  plan: PlanId | null;
  stories: number;
  unseen: number;
  close_friends: boolean;
  latest_at: Date | string;
  expires_at: Date | string;
  in_circle: boolean;
  affinity: number;
}

/**
 * Order: the viewer first, then people with unseen stories, then the rest; within each, the
 * viewer's close friends, then those whose stories the viewer watched most in the last 30 days,
 * then the newest story first.
 */
export async function trayOf(db: Database, viewerId: string): Promise<Item[]> {
  const rows = rowsOf<Row>(
    await db.execute(sql`
      with candidates as (
        select author_id, bool_or(in_circle) as in_circle from (
          select ${viewerId}::uuid as author_id, false as in_circle
          union all select f.friend_id, f.close_friend from friendships f where f.user_id = ${viewerId}
          union all select fo.followee_id, false from follows fo where fo.follower_id = ${viewerId}
        ) c
        where author_id not in (select m.muted_id from story_mutes m where m.user_id = ${viewerId})
        group by author_id
      ),
      shown as (
        select s.author_id, c.in_circle, s.id, s.created_at, s.expires_at, s.audience,
          (s.author_id <> ${viewerId} and not exists (
            select 1 from story_views v where v.story_id = s.id and v.viewer_id = ${viewerId})) as unseen
        from candidates c
        join stories s on s.author_id = c.author_id and s.deleted_at is null and s.expires_at > now()
        where ${storyVisibleTo(viewerId)}
      ),
      items as (
        select author_id, bool_or(in_circle) as in_circle, count(*)::int as stories, count(*) filter (where unseen)::int as unseen,
          bool_or(audience = 'close_friends') as close_friends, max(created_at) as latest_at, min(expires_at) as expires_at
        from shown group by author_id
      ),
      affinity as (
        select vs.author_id, count(*)::int as views
        from story_views v join stories vs on vs.id = v.story_id
        where v.viewer_id = ${viewerId} and v.viewed_at > now() - make_interval(days => ${AFFINITY_DAYS})
        group by vs.author_id
      ),
      top as (
        select i.*, coalesce(a.views, 0) as affinity
        from items i left join affinity a on a.author_id = i.author_id
        order by (i.author_id = ${viewerId}) desc, (i.unseen > 0) desc, i.in_circle desc, affinity desc, i.latest_at desc
        limit ${TRAY_MAX}
      )
      select t.*, u.username, p.display_name, p.avatar_media_id, p.verified_at, p.verified_with_plan, p.account_type,
        ${livePlanOf(sql`t.author_id`)} as plan
      from top t
      join users u on u.id = t.author_id
      left join profiles p on p.user_id = t.author_id
      order by (t.author_id = ${viewerId}) desc, (t.unseen > 0) desc, t.in_circle desc, t.affinity desc, t.latest_at desc`),
  );
  const iso = (value: Date | string) => new Date(value).toISOString();
  return rows.map((row) => ({
    author: toSummary({
      id: row.author_id,
      username: row.username,
      displayName: row.display_name,
      avatarMediaId: row.avatar_media_id,
      verifiedAt: row.verified_at === null ? null : new Date(row.verified_at),
      verifiedWithPlan: row.verified_with_plan,
      accountType: row.account_type,
      plan: row.plan,
    }),
    stories: row.stories,
    unseen: row.unseen,
    closeFriends: row.close_friends,
    latestAt: iso(row.latest_at),
    expiresAt: iso(row.expires_at),
  }));
}
