// Privacy settings and the rules that read them. Every read path asks `allows` (or one of the
// policies below) with the relation facts of viewer and owner; nothing decides visibility
// anywhere else. A block always wins: a blocked pair sees nothing of each other.
import { eq, type SQL, sql } from 'drizzle-orm';
import { isBlocked, notBlockedWith, type RelationFacts } from '../graph/relations.ts';
import type { Database } from '../platform/db/index.ts';
import { type Audience, privacySettings } from './schema.ts';

type PrivacyRow = typeof privacySettings.$inferSelect;
export type Privacy = Omit<PrivacyRow, 'userId' | 'updatedAt'>;

/** The settings of a user who never changed them (PROTOCOL.md shows them). */
export const DEFAULT_PRIVACY: Privacy = {
  profileDetails: 'public',
  pets: 'public',
  friendsList: 'friends',
  location: 'only_me',
  presence: 'friends',
  friendRequests: 'everyone',
  messages: 'friends',
};

export async function privacyOf(db: Database, userId: string): Promise<Privacy> {
  const [row] = await db.select().from(privacySettings).where(eq(privacySettings.userId, userId)).limit(1);
  if (row === undefined) return { ...DEFAULT_PRIVACY };
  const { userId: _user, updatedAt: _at, ...settings } = row;
  return settings;
}

/** The settings' columns, named once: a write copies these keys of a request and nothing else. */
const PRIVACY_COLUMNS = Object.keys(DEFAULT_PRIVACY) as (keyof Privacy)[];

export async function updatePrivacy(db: Database, userId: string, changes: Partial<Privacy>): Promise<Privacy> {
  const updatedAt = new Date();
  const named: Partial<Record<keyof Privacy, string>> = {};
  for (const column of PRIVACY_COLUMNS) if (changes[column] !== undefined) named[column] = changes[column];
  const set = named as Partial<Privacy>;
  const next = { ...(await privacyOf(db, userId)), ...set };
  await db
    .insert(privacySettings)
    .values({ userId, ...next, updatedAt })
    .onConflictDoUpdate({ target: privacySettings.userId, set: { ...set, updatedAt } });
  return privacyOf(db, userId);
}

/** May the viewer (with these facts about the owner) see what the owner shared with `audience`? */
export function allows(audience: Audience, facts: RelationFacts): boolean {
  if (facts.self) return true;
  if (isBlocked(facts)) return false;
  switch (audience) {
    case 'public':
      return true;
    case 'friends':
      return facts.friends;
    case 'close_friends':
      return facts.friends && facts.inTargetsCircle;
    case 'only_me':
      return false;
  }
}

/**
 * `allows` as SQL, for lists and joins: `audience` and `ownerId` are SQL expressions (columns of
 * the row being read). The owner sees everything; otherwise no block either way, then the
 * audience (anything but public, friends and close_friends, such as only_me, shows nothing).
 */
export function allowsSql(audience: SQL, ownerId: SQL, viewerId: string): SQL {
  return sql`(${ownerId} = ${viewerId} or (
    ${notBlockedWith(viewerId, ownerId)}
    and (${audience} = 'public'
      or (${audience} = 'friends' and exists (select 1 from friendships f where f.user_id = ${ownerId} and f.friend_id = ${viewerId}))
      or (${audience} = 'close_friends' and exists (select 1 from friendships f where f.user_id = ${ownerId} and f.friend_id = ${viewerId} and f.close_friend)))))`;
}

/** SQL: the `pets` audience from `setting` (privacy_settings.pets of a row joined, null when the
 * owner has no row), with the default for no row. */
export function petsAudienceSql(setting: SQL): SQL {
  return sql`coalesce(${setting}, ${DEFAULT_PRIVACY.pets})`;
}

/** May the viewer send the owner a friend request? `mutualFriends` is needed for friends_of_friends. */
export function allowsRequest(privacy: Privacy, facts: RelationFacts, mutualFriends: number): boolean {
  if (facts.self || isBlocked(facts) || facts.friends) return false;
  switch (privacy.friendRequests) {
    case 'everyone':
      return true;
    case 'friends_of_friends':
      return mutualFriends > 0;
    case 'nobody':
      return false;
  }
}

/** May the viewer start a conversation with the owner (the messenger enforces this)? */
export function allowsMessage(privacy: Privacy, facts: RelationFacts): boolean {
  if (facts.self) return false;
  if (isBlocked(facts)) return false;
  switch (privacy.messages) {
    case 'everyone':
      return true;
    case 'friends':
      return facts.friends;
    case 'nobody':
      return false;
  }
}

/**
 * May the viewer write to the owner in their existing one-to-one conversation? The owner's
 * current `messages` setting applies to every message, as to the first; in a conversation the
 * owner started, the person they wrote to may answer unless the owner now takes messages from
 * nobody. A block always closes it.
 */
export function allowsMessageIn(privacy: Privacy, facts: RelationFacts, ownerStartedIt: boolean): boolean {
  if (allowsMessage(privacy, facts)) return true;
  return ownerStartedIt && !facts.self && !isBlocked(facts) && privacy.messages !== 'nobody';
}

export function allowsPresence(privacy: Privacy, facts: RelationFacts): boolean {
  return allows(privacy.presence, facts);
}

/** Public profiles and business pages can be followed (by anyone they have not blocked). */
export function followable(privacy: Privacy, accountType: string, facts: RelationFacts): boolean {
  if (facts.self || isBlocked(facts)) return false;
  return accountType === 'business' || privacy.profileDetails === 'public';
}
