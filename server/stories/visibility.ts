// Who may see a story: its author always (expired ones too: their archive); anyone else only while
// it is active (not deleted, not past `expires_at`), when no block stands between them, its
// audience allows (public, friends, close friends: the privacy rules' `allowsSql`), and the author
// does not hide their stories from them. The one rule, as SQL, for every read path: one story,
// an author's ring, the tray, the media it shows.
import { type SQL, sql } from 'drizzle-orm';
import { allowsSql } from '../people/privacy.ts';

/** SQL: the story aliased `s` is visible to `viewerId` now. */
export function storyVisibleTo(viewerId: string): SQL {
  return sql`(s.deleted_at is null and (s.author_id = ${viewerId} or (s.expires_at > now()
    and ${allowsSql(sql`s.audience`, sql`s.author_id`, viewerId)}
    and not exists (select 1 from story_hidden h where h.owner_id = s.author_id and h.hidden_id = ${viewerId}))))`;
}

/** SQL: a story `viewerId` may see, or a highlight of it, shows the media `mediaId` (media.get's rule). */
export function storiesShowMedia(viewerId: string, mediaId: SQL): SQL {
  return sql`exists (select 1 from stories s where s.media_id = ${mediaId} and (${storyVisibleTo(viewerId)}
    or (s.deleted_at is null and exists (select 1 from story_highlight_items i where i.story_id = s.id)
      and ${allowsSql(sql`s.audience`, sql`s.author_id`, viewerId)}
      and not exists (select 1 from story_hidden h where h.owner_id = s.author_id and h.hidden_id = ${viewerId}))))`;
}

/** SQL: a story not deleted shows the media `mediaId` (it cannot be deleted while one does). */
export function storiesUseMedia(mediaId: SQL): SQL {
  return sql`exists (select 1 from stories s where s.media_id = ${mediaId} and s.deleted_at is null)`;
}
