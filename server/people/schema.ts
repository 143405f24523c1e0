// Tables owned by the people module: a user's public face (profile) and who may see which part of
// it (privacy settings). A user without a row here has the defaults: the row is written on the
// first change. Location is stored precisely (suggestions by proximity need it) and only ever
// shown rounded, to those its audience allows.
import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.ts';

export const ACCOUNT_TYPES = ['personal', 'business'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const profiles = pgTable(
  'profiles',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    displayName: text('display_name').notNull().default(''),
    /** The display name folded for search: lower case, accents removed (people.search). */
    searchName: text('search_name').notNull().default(''),
    /** Media references; the media pipeline checks ownership when it lands. */
    avatarMediaId: uuid('avatar_media_id'),
    coverMediaId: uuid('cover_media_id'),
    bio: text('bio').notNull().default(''),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    /** What the user calls the place ("Coyoacán, CDMX"); shown with the rounded point. */
    placeName: text('place_name').notNull().default(''),
    /** A language of the plan, or one of its regional variants (es-MX). */
    locale: text('locale').notNull().default('en'),
    /** IANA zone name, checked with Intl at the edge. */
    timezone: text('timezone').notNull().default('UTC'),
    accountType: text('account_type', { enum: ACCOUNT_TYPES }).notNull().default('personal'),
    /** Granted by admins only: directly (profile.setVerified), or by approving a request (server/verification/). */
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    /**
     * The mark came from an approved request, a feature of plans with `verification`: it shows only
     * while the person's plan has it, and comes back with a new subscription. A mark granted
     * directly by an admin shows whatever the plan.
     */
    verifiedWithPlan: boolean('verified_with_plan').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('profiles_search_name').on(sql`${table.searchName} text_pattern_ops`),
    // Which profile shows a media (media.get's access rule).
    index('profiles_avatar').on(table.avatarMediaId).where(sql`${table.avatarMediaId} is not null`),
    index('profiles_cover').on(table.coverMediaId).where(sql`${table.coverMediaId} is not null`),
    check('profiles_account_type_known', sql`${table.accountType} in ('personal', 'business')`),
    check('profiles_verified_with_plan', sql`${table.verifiedAt} is not null or not ${table.verifiedWithPlan}`),
    check('profiles_location_pair', sql`(${table.latitude} is null) = (${table.longitude} is null)`),
    check('profiles_latitude_range', sql`${table.latitude} between -90 and 90`),
    check('profiles_longitude_range', sql`${table.longitude} between -180 and 180`),
  ],
);

/** Who may see or do something: everyone, friends, the close-friends circle, or nobody else. */
export const AUDIENCES = ['public', 'friends', 'close_friends', 'only_me'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const REQUEST_POLICIES = ['everyone', 'friends_of_friends', 'nobody'] as const;
export type RequestPolicy = (typeof REQUEST_POLICIES)[number];

export const MESSAGE_POLICIES = ['everyone', 'friends', 'nobody'] as const;
export type MessagePolicy = (typeof MESSAGE_POLICIES)[number];

export const PRESENCE_AUDIENCES = ['friends', 'close_friends', 'only_me'] as const;
export type PresenceAudience = (typeof PRESENCE_AUDIENCES)[number];

const audienceCheck = (column: unknown, values: readonly string[]) =>
  sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(', '))})`;

export const privacySettings = pgTable(
  'privacy_settings',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Bio, place name, timezone, language. Public by default, as on the platforms people know. */
    profileDetails: text('profile_details', { enum: AUDIENCES }).notNull().default('public'),
    pets: text('pets', { enum: AUDIENCES }).notNull().default('public'),
    friendsList: text('friends_list', { enum: AUDIENCES }).notNull().default('friends'),
    /** The rounded location. Nobody else by default: sharing it is the user's choice. */
    location: text('location', { enum: AUDIENCES }).notNull().default('only_me'),
    presence: text('presence', { enum: PRESENCE_AUDIENCES }).notNull().default('friends'),
    friendRequests: text('friend_requests', { enum: REQUEST_POLICIES }).notNull().default('everyone'),
    messages: text('messages', { enum: MESSAGE_POLICIES }).notNull().default('friends'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('privacy_profile_details_known', audienceCheck(table.profileDetails, AUDIENCES)),
    check('privacy_pets_known', audienceCheck(table.pets, AUDIENCES)),
    check('privacy_friends_list_known', audienceCheck(table.friendsList, AUDIENCES)),
    check('privacy_location_known', audienceCheck(table.location, AUDIENCES)),
    check('privacy_presence_known', audienceCheck(table.presence, PRESENCE_AUDIENCES)),
    check('privacy_friend_requests_known', audienceCheck(table.friendRequests, REQUEST_POLICIES)),
    check('privacy_messages_known', audienceCheck(table.messages, MESSAGE_POLICIES)),
  ],
);
