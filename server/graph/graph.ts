// Changing the social graph. Every change of a pair runs in one transaction holding an advisory
// lock on that pair, so crossing requests become one friendship, and a block racing an accept
// ends blocked with no friendship. After the commit, both users' sessions get `relation.changed`
// (each from their own side), notifications go out, and gateways re-check who may follow the
// pair's presence and profile topics.
import { and, eq, or, sql } from 'drizzle-orm';
import type { UserMessage } from '../../actors/user.ts';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { users } from '../accounts/schema.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import type { Prepared } from '../notifications/notifier.ts';
import { notifications } from '../notifications/schema.ts';
import { announceAccessChange, type SocialDeps } from '../people/context.ts';
import { allowsRequest, followable, privacyOf } from '../people/privacy.ts';
import { mutualFriendCount } from '../people/profiles.ts';
import { profiles } from '../people/schema.ts';
import type { Database } from '../platform/db/index.ts';
import { isBlocked, type RelationFacts, relationFacts, relationView } from './relations.ts';
import { blocks, follows, friendRequests, friendships } from './schema.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type RelationReply = CallResponse<'friends.request'>;

interface Outcome {
  notify?: Prepared | undefined;
  /** Users whose presence/profile followers must be re-checked. */
  access?: string[];
  /** Users whose unread count changed without a new notification. */
  recount?: string[];
}

export class Graph {
  readonly #deps: SocialDeps;

  constructor(deps: SocialDeps) {
    this.#deps = deps;
  }

  /** Runs `change` for the pair under its lock; then announces the result to both users. */
  async #change(viewerId: string, targetId: string, change: (tx: Tx, facts: RelationFacts) => Promise<Outcome>): Promise<RelationReply> {
    if (viewerId === targetId) throw new InvalidInputError('that is you', { field: 'userId' });
    const { db } = this.#deps;
    const outcome = await db.transaction(async (tx) => {
      const [low, high] = viewerId < targetId ? [viewerId, targetId] : [targetId, viewerId];
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`pair:${low}:${high}`}, 0))`);
      const [target] = await tx.select({ id: users.id }).from(users).where(eq(users.id, targetId)).limit(1);
      if (target === undefined) throw new NotFoundError('user');
      return change(tx as unknown as Tx, await relationFacts(tx as unknown as Database, viewerId, targetId));
    });
    const [mine, theirs] = await Promise.all([relationFacts(db, viewerId, targetId), relationFacts(db, targetId, viewerId)]);
    await Promise.all([
      emit(this.#deps, 'user', viewerId, 'relation.changed', { userId: targetId, relation: relationView(mine) }),
      emit(this.#deps, 'user', targetId, 'relation.changed', { userId: viewerId, relation: relationView(theirs) }),
    ]);
    for (const userId of outcome.access ?? [])
      announceAccessChange(this.#deps, { ownerId: userId, viewers: [userId === viewerId ? targetId : viewerId] });
    for (const userId of outcome.recount ?? []) this.#deps.actors.tell('user', userId, { op: 'recount' } satisfies UserMessage);
    this.#deps.notifier.dispatch([outcome.notify]);
    return { userId: targetId, relation: relationView(mine) };
  }

  async #befriend(tx: Tx, a: string, b: string) {
    await tx
      .delete(friendRequests)
      .where(
        or(
          and(eq(friendRequests.fromUserId, a), eq(friendRequests.toUserId, b)),
          and(eq(friendRequests.fromUserId, b), eq(friendRequests.toUserId, a)),
        ),
      );
    await tx
      .insert(friendships)
      .values([
        { userId: a, friendId: b },
        { userId: b, friendId: a },
      ])
      .onConflictDoNothing();
  }

  async request(viewerId: string, targetId: string) {
    // Counted before anything else, refused or not: probing who accepts requests costs the same.
    await this.#deps.limiter.hit({ name: 'friend requests sent', max: this.#deps.friendRequestsPerHour, windowMs: 60 * 60_000 }, viewerId);
    return this.#change(viewerId, targetId, async (tx, facts) => {
      if (isBlocked(facts)) throw new NotFoundError('user');
      if (facts.friends || facts.requestSent) return {};
      if (facts.requestReceived) {
        await this.#befriend(tx, viewerId, targetId);
        return {
          notify: await this.#deps.notifier.prepare(tx, { userId: targetId, type: 'friend.accepted', actorId: viewerId, data: {} }),
          access: [viewerId, targetId],
        };
      }
      const privacy = await privacyOf(tx as unknown as Database, targetId);
      const mutual =
        privacy.friendRequests === 'friends_of_friends' ? await mutualFriendCount(tx as unknown as Database, viewerId, targetId) : 0;
      if (!allowsRequest(privacy, facts, mutual))
        throw new ForbiddenError('their settings do not accept friend requests from you', 'REQUESTS_NOT_ALLOWED');
      // Millisecond times (not now()'s microseconds): list cursors carry them through JavaScript dates.
      await tx.insert(friendRequests).values({ fromUserId: viewerId, toUserId: targetId, createdAt: new Date() });
      return { notify: await this.#deps.notifier.prepare(tx, { userId: targetId, type: 'friend.request', actorId: viewerId, data: {} }) };
    });
  }

  accept(viewerId: string, requesterId: string) {
    return this.#change(viewerId, requesterId, async (tx, facts) => {
      if (!facts.requestReceived || isBlocked(facts)) throw new NotFoundError('friend request');
      await this.#befriend(tx, viewerId, requesterId);
      // The request's notification has done its job.
      await this.#dropNotifications(tx, viewerId, requesterId, 'friend.request');
      return {
        notify: await this.#deps.notifier.prepare(tx, { userId: requesterId, type: 'friend.accepted', actorId: viewerId, data: {} }),
        access: [viewerId, requesterId],
        recount: [viewerId],
      };
    });
  }

  decline(viewerId: string, requesterId: string) {
    return this.#change(viewerId, requesterId, async (tx, facts) => {
      if (!facts.requestReceived) throw new NotFoundError('friend request');
      await tx.delete(friendRequests).where(and(eq(friendRequests.fromUserId, requesterId), eq(friendRequests.toUserId, viewerId)));
      await this.#dropNotifications(tx, viewerId, requesterId, 'friend.request');
      return { recount: [viewerId] };
    });
  }

  cancel(viewerId: string, targetId: string) {
    return this.#change(viewerId, targetId, async (tx, facts) => {
      if (!facts.requestSent) throw new NotFoundError('friend request');
      await tx.delete(friendRequests).where(and(eq(friendRequests.fromUserId, viewerId), eq(friendRequests.toUserId, targetId)));
      // A withdrawn request leaves nothing in their inbox.
      await this.#dropNotifications(tx, targetId, viewerId, 'friend.request');
      return { recount: [targetId] };
    });
  }

  remove(viewerId: string, friendId: string) {
    return this.#change(viewerId, friendId, async (tx, facts) => {
      if (!facts.friends) throw new NotFoundError('friendship');
      await this.#unfriend(tx, viewerId, friendId);
      return { access: [viewerId, friendId] };
    });
  }

  async #unfriend(tx: Tx, a: string, b: string) {
    await tx
      .delete(friendships)
      .where(or(and(eq(friendships.userId, a), eq(friendships.friendId, b)), and(eq(friendships.userId, b), eq(friendships.friendId, a))));
  }

  setClose(viewerId: string, friendId: string, close: boolean) {
    return this.#change(viewerId, friendId, async (tx, facts) => {
      if (!facts.friends) throw new NotFoundError('friendship');
      await tx
        .update(friendships)
        .set({ closeFriend: close })
        .where(and(eq(friendships.userId, viewerId), eq(friendships.friendId, friendId)));
      return { access: [viewerId] };
    });
  }

  follow(viewerId: string, targetId: string) {
    return this.#change(viewerId, targetId, async (tx, facts) => {
      if (isBlocked(facts)) throw new NotFoundError('user');
      if (facts.following) return {};
      const [profile] = await tx.select({ accountType: profiles.accountType }).from(profiles).where(eq(profiles.userId, targetId));
      const privacy = await privacyOf(tx as unknown as Database, targetId);
      if (!followable(privacy, profile?.accountType ?? 'personal', facts))
        throw new ForbiddenError('only public profiles and business pages can be followed', 'NOT_FOLLOWABLE');
      await tx.insert(follows).values({ followerId: viewerId, followeeId: targetId });
      return { notify: await this.#deps.notifier.prepare(tx, { userId: targetId, type: 'follow.new', actorId: viewerId, data: {} }) };
    });
  }

  unfollow(viewerId: string, targetId: string) {
    return this.#change(viewerId, targetId, async (tx) => {
      await tx.delete(follows).where(and(eq(follows.followerId, viewerId), eq(follows.followeeId, targetId)));
      return {};
    });
  }

  block(viewerId: string, targetId: string) {
    return this.#change(viewerId, targetId, async (tx, facts) => {
      if (facts.blocking) return {};
      await this.#unfriend(tx, viewerId, targetId);
      await tx
        .delete(friendRequests)
        .where(
          or(
            and(eq(friendRequests.fromUserId, viewerId), eq(friendRequests.toUserId, targetId)),
            and(eq(friendRequests.fromUserId, targetId), eq(friendRequests.toUserId, viewerId)),
          ),
        );
      await tx
        .delete(follows)
        .where(
          or(
            and(eq(follows.followerId, viewerId), eq(follows.followeeId, targetId)),
            and(eq(follows.followerId, targetId), eq(follows.followeeId, viewerId)),
          ),
        );
      await this.#dropNotifications(tx, viewerId, targetId);
      await this.#dropNotifications(tx, targetId, viewerId);
      await tx.insert(blocks).values({ blockerId: viewerId, blockedId: targetId, createdAt: new Date() });
      return { access: [viewerId, targetId], recount: [viewerId, targetId] };
    });
  }

  unblock(viewerId: string, targetId: string) {
    return this.#change(viewerId, targetId, async (tx) => {
      await tx.delete(blocks).where(and(eq(blocks.blockerId, viewerId), eq(blocks.blockedId, targetId)));
      return { access: [viewerId, targetId] };
    });
  }

  /** Deletes `recipient`'s notifications caused by `actor` (of one type, or all). */
  async #dropNotifications(tx: Tx, recipientId: string, actorId: string, type?: string) {
    await tx
      .delete(notifications)
      .where(
        and(
          eq(notifications.userId, recipientId),
          eq(notifications.actorId, actorId),
          type === undefined ? undefined : eq(notifications.type, type),
        ),
      );
  }
}
