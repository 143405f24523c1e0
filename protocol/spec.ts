// What a catalogue entry is: the shape of a call and of a topic. The per-domain files in calls/
// declare entries of these shapes; catalogue.ts gathers them.
import type { SchemaOptions, TLiteral, TSchema, TUnion } from '@sinclair/typebox';
import type { DomainErrorCode } from './errors.ts';
import { BADGES } from './lists.ts';
import { T } from './typebox.ts';

export type Role = 'user' | 'moderator' | 'admin';

export interface CallSpec {
  description: string;
  /** The least role allowed to make the call. */
  role: Role;
  request: TSchema;
  response: TSchema;
  example: { request: unknown; response: unknown };
  /**
   * Every code the call may answer besides those any call may get (COMMON_CALL_ERRORS in
   * errors.ts). The gateway logs at error level when a call answers a code not declared here, and
   * the test harness fails the test that caused it.
   */
  errors: readonly DomainErrorCode[];
}

export interface TopicSpec {
  description: string;
  /** How the topic name looks, for people: `user:<userId>`. */
  form: string;
  /** Matches a topic name; the groups are its parameters. */
  pattern: RegExp;
  /**
   * Who may subscribe: anyone signed in; only the user the topic is about; or `viewer`: whom the
   * user the topic names lets see it (their privacy settings), re-checked when those change; or
   * `member`: the members of the conversation it names, re-checked when they leave or are removed.
   */
  access: 'signed-in' | 'self' | 'viewer' | 'member';
  /** `signal`: an ephemeral event (typing, receipts) sent as a `signal` frame: no seq, never replayed. */
  events: Record<string, { description: string; body: TSchema; example: unknown; signal?: true }>;
}

/** One of a list of strings, keeping the literal types (what a plain `.map(T.Literal)` loses). */
export const OneOf = <const V extends readonly string[]>(values: V, options?: SchemaOptions) =>
  T.Union(
    values.map((value) => T.Literal(value)),
    options,
  ) as unknown as TUnion<TLiteral<V[number]>[]>;

export const Uuid = T.String({ format: 'uuid' });
/** The idempotency key of a create call (PROTOCOL.md, "Failover and retries"). */
export const CreateKey = T.Optional(
  T.String({
    format: 'uuid',
    description:
      'Idempotency key chosen by the client: new for each thing created, the same on every retry of it. A retry answers what the first attempt created. If that was deleted since, a post answers NOT_FOUND; a pet, or a comment removed for good, no longer holds its key, so the retry creates it again.',
  }),
);
export const exampleUserId = '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
export const exampleFriendId = '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a77';
export const userTopicPattern = (prefix: string) =>
  new RegExp(`^${prefix}:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`);

/** A page of a list: every list is cursor-paginated; `nextCursor` is null on the last page. */
export const Page = <S extends TSchema>(item: S) =>
  T.Object({
    items: T.Array(item),
    nextCursor: T.Union([T.String(), T.Null()], { description: 'Pass as `cursor` for the next page; null at the end' }),
  });
export const Cursor = T.Optional(T.String({ maxLength: 512, description: 'From the previous page' }));

/** Someone as lists show them: never more than anyone who may see them at all may know. */
export const PersonSummary = T.Object({
  id: Uuid,
  username: T.String(),
  displayName: T.String(),
  avatarMediaId: T.Union([Uuid, T.Null()]),
  verified: T.Boolean({ description: "The verified mark shows: the same as `badges` having 'verified'" }),
  accountType: T.Union([T.Literal('personal'), T.Literal('business')]),
  badges: T.Array(OneOf(BADGES), {
    maxItems: 2,
    uniqueItems: true,
    description:
      'Marks to show next to the name: `verified` (an admin verified them; one who asked for it keeps it while their plan has `verification`), and `premium` or `pro` while they are on that plan',
  }),
});

export const examplePerson = {
  id: exampleFriendId,
  username: 'bruno_y_max',
  displayName: 'Bruno',
  avatarMediaId: null,
  verified: false,
  accountType: 'personal',
  badges: ['premium'] as (typeof BADGES)[number][],
};
