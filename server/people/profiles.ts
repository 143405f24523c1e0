// Profiles: reading one as a given viewer may see it, changing one's own, and search. Visibility
// is decided by the rules in privacy.ts over the relation facts; a block on either side makes the
// user NOT_FOUND, exactly as if they did not exist. (The verified mark: server/verification/.)
import { and, asc, count, eq, gt, like, or, type SQL, sql } from 'drizzle-orm';
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import { PROFILE_POSTS_COUNT_CAP } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import { isBlocked, notBlockedWith, relationFacts, relationView } from '../graph/relations.ts';
import { follows, friendships } from '../graph/schema.ts';
import { isLanguage } from '../i18n/languages.ts';
import { livePlanOf } from '../payments/entitlements.ts';
import { pets } from '../pets/schema.ts';
import { decodeCursor, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { checkPlainText, cleanName } from '../platform/input.ts';
import { visibleTo } from '../posts/visibility.ts';
import { announceAccessChange, type SocialDeps } from './context.ts';
import { allows, allowsMessage, allowsPresence, allowsRequest, followable, privacyOf } from './privacy.ts';
import { profiles } from './schema.ts';
import { fold, selectSummaries, toSummary } from './summaries.ts';

type Profile = CallResponse<'profile.get'>;

/** SQL: a profile shows the media `mediaId` (an SQL expression) as its avatar or cover. */
export function profilesUseMedia(mediaId: SQL): SQL {
  return sql`exists (select 1 from profiles pr where pr.avatar_media_id = ${mediaId} or pr.cover_media_id = ${mediaId})`;
}

/** SQL: a profile picture (avatar or cover) is `mediaId` (an SQL expression), and no block stands
 * between its owner and `viewerId`. Profile pictures show wherever a name does. */
export function profilesShowMedia(viewerId: string, mediaId: SQL): SQL {
  return sql`exists (select 1 from profiles pr where (pr.avatar_media_id = ${mediaId} or pr.cover_media_id = ${mediaId})
    and ${notBlockedWith(viewerId, sql`pr.user_id`)})`;
}

/** 0.01° is 1.1 km of latitude (less of longitude away from the equator): "about 1 km". */
const roundCoordinate = (value: number) => Math.round(value * 100) / 100;

async function userByIdOrName(db: Database, request: CallRequest<'profile.get'>) {
  if ((request.userId === undefined) === (request.username === undefined))
    throw new InvalidInputError('give userId or username', { field: 'userId' });
  const where =
    request.userId !== undefined ? eq(users.id, request.userId) : eq(users.username, (request.username as string).toLowerCase());
  const [row] = await db
    .select({ user: { id: users.id, username: users.username, createdAt: users.createdAt }, profile: profiles, plan: livePlanOf(users.id) })
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(where)
    .limit(1);
  return row;
}

export async function mutualFriendCount(db: Database, a: string, b: string): Promise<number> {
  const result = await db.execute(sql`
    select count(*)::int as n from friendships x join friendships y on y.friend_id = x.friend_id
    where x.user_id = ${a} and y.user_id = ${b}`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

export async function getProfile(deps: Pick<SocialDeps, 'db'>, viewerId: string, request: CallRequest<'profile.get'>): Promise<Profile> {
  const { db } = deps;
  const found = await userByIdOrName(db, request);
  if (found === undefined) throw new NotFoundError('user');
  const targetId = found.user.id;
  const facts = await relationFacts(db, viewerId, targetId);
  if (isBlocked(facts)) throw new NotFoundError('user');
  const privacy = await privacyOf(db, targetId);
  const profile = found.profile;
  const [[followers], [friends], [petCount], mutual, postCount] = await Promise.all([
    db.select({ n: count() }).from(follows).where(eq(follows.followeeId, targetId)),
    db.select({ n: count() }).from(friendships).where(eq(friendships.userId, targetId)),
    db.select({ n: count() }).from(pets).where(eq(pets.ownerId, targetId)),
    privacy.friendRequests === 'friends_of_friends' && !facts.self ? mutualFriendCount(db, viewerId, targetId) : Promise.resolve(0),
    // What their Posts tab lists for this viewer: the posts (shares included) the viewer may see,
    // counted up to PROFILE_POSTS_COUNT_CAP, so a prolific author's profile costs no more than that.
    db.execute(
      sql`select count(*)::int as n from (select 1 from posts p where p.author_id = ${targetId} and ${visibleTo(viewerId)} limit ${PROFILE_POSTS_COUNT_CAP}) counted`,
    ),
  ]);
  const accountType = profile?.accountType ?? 'personal';
  const view: Profile = {
    ...toSummary({
      id: targetId,
      username: found.user.username,
      displayName: profile?.displayName ?? null,
      avatarMediaId: profile?.avatarMediaId ?? null,
      verifiedAt: profile?.verifiedAt ?? null,
      verifiedWithPlan: profile?.verifiedWithPlan ?? null,
      accountType,
      plan: found.plan,
    }),
    coverMediaId: profile?.coverMediaId ?? null,
    joinedAt: found.user.createdAt.toISOString(),
    relation: relationView(facts),
    followers: followers?.n ?? 0,
    posts: rowsOf<{ n: number }>(postCount)[0]?.n ?? 0,
    canSendRequest: allowsRequest(privacy, facts, mutual) && !facts.requestSent && !facts.requestReceived,
    canFollow: followable(privacy, accountType, facts) && !facts.following,
    canMessage: allowsMessage(privacy, facts),
    canSeePresence: !facts.self && allowsPresence(privacy, facts),
  };
  if (allows(privacy.profileDetails, facts)) {
    view.bio = profile?.bio ?? '';
    view.locale = profile?.locale ?? 'en';
    view.timezone = profile?.timezone ?? 'UTC';
  }
  if (profile?.latitude != null && profile.longitude != null && allows(privacy.location, facts)) {
    const exact = facts.self;
    view.location = {
      latitude: exact ? profile.latitude : roundCoordinate(profile.latitude),
      longitude: exact ? profile.longitude : roundCoordinate(profile.longitude),
      placeName: profile.placeName,
    };
  }
  if (allows(privacy.friendsList, facts)) view.friends = friends?.n ?? 0;
  if (allows(privacy.pets, facts)) view.pets = petCount?.n ?? 0;
  return view;
}

function checkLocale(locale: string) {
  const [language, region, ...rest] = locale.split('-');
  const ok = language !== undefined && isLanguage(language) && rest.length === 0 && (region === undefined || /^[A-Z]{2}$/.test(region));
  if (!ok) throw new InvalidInputError('locale must be one of the 20 languages, optionally with a region (es-MX)', { field: 'locale' });
}

function checkTimezone(timezone: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch (error) {
    throw new InvalidInputError('timezone must be an IANA zone name such as America/Mexico_City', { field: 'timezone', cause: error });
  }
}

/**
 * A new location counts against LOCATION_CHANGES_PER_DAY (RATE_LIMITED beyond), so nobody can
 * walk their own point around to learn where others are. Setting the same point again, or
 * removing it, is free.
 */
async function countLocationChange(deps: SocialDeps, userId: string, location: { latitude: number; longitude: number }) {
  const [current] = await deps.db
    .select({ latitude: profiles.latitude, longitude: profiles.longitude })
    .from(profiles)
    .where(eq(profiles.userId, userId))
    .limit(1);
  if (current?.latitude === location.latitude && current.longitude === location.longitude) return;
  await deps.limiter.hit({ name: 'location changes', max: deps.locationChangesPerDay, windowMs: 24 * 60 * 60_000 }, userId);
}

export async function updateProfile(deps: SocialDeps, userId: string, changes: CallRequest<'profile.update'>): Promise<Profile> {
  if (changes.locale !== undefined) checkLocale(changes.locale);
  if (changes.timezone !== undefined) checkTimezone(changes.timezone);
  if (changes.bio !== undefined) checkPlainText(changes.bio, 'bio');
  if (changes.location != null) checkPlainText(changes.location.placeName, 'location.placeName');
  const pictures = [changes.avatarMediaId, changes.coverMediaId].filter((id): id is string => typeof id === 'string');
  await deps.media.attachable(userId, pictures, ['image']);
  if (changes.location != null) await countLocationChange(deps, userId, changes.location);
  // Every column is named: nothing of the request reaches the row unless it is listed here.
  const set: Partial<typeof profiles.$inferInsert> = { updatedAt: new Date() };
  if (changes.displayName !== undefined) {
    set.displayName = cleanName(changes.displayName, 'displayName', { required: false });
    set.searchName = fold(set.displayName);
  }
  if (changes.bio !== undefined) set.bio = changes.bio;
  if (changes.avatarMediaId !== undefined) set.avatarMediaId = changes.avatarMediaId;
  if (changes.coverMediaId !== undefined) set.coverMediaId = changes.coverMediaId;
  if (changes.locale !== undefined) set.locale = changes.locale;
  if (changes.timezone !== undefined) set.timezone = changes.timezone;
  if (changes.accountType !== undefined) set.accountType = changes.accountType;
  if (changes.location === null) {
    set.latitude = null;
    set.longitude = null;
    set.placeName = '';
  } else if (changes.location !== undefined) {
    set.latitude = changes.location.latitude;
    set.longitude = changes.location.longitude;
    set.placeName = changes.location.placeName;
  }
  await deps.db
    .insert(profiles)
    .values({ userId, ...set })
    .onConflictDoUpdate({ target: profiles.userId, set });
  await emit(deps, 'profile', userId, 'profile.changed', { userId, at: Date.now() });
  // The account type decides who may follow: a change re-checks followers of the profile topic.
  if (changes.accountType !== undefined) announceAccessChange(deps, userId);
  return getProfile(deps, userId, { userId });
}

export async function searchPeople(deps: Pick<SocialDeps, 'db'>, viewerId: string, request: CallRequest<'people.search'>) {
  const query = fold(request.query.trim());
  if (query.length === 0) throw new InvalidInputError('query is empty', { field: 'query' });
  const after = decodeCursor(request.cursor, 1);
  const pattern = `${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await selectSummaries(deps.db)
    .where(
      and(
        or(like(users.username, pattern), like(profiles.searchName, pattern)),
        notBlockedWith(viewerId, users.id),
        after === undefined ? undefined : gt(users.username, after[0] as string),
      ),
    )
    .orderBy(asc(users.username))
    .limit(PAGE_SIZE + 1);
  return pageOf(rows, PAGE_SIZE, (row) => [row.username], toSummary);
}
