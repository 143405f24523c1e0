// What the accounts module tells connected clients, on the user's own topic (`user:<id>`):
// account.updated after a change the user should see at once, session.revoked when a sign-in
// ends. The change is committed before the event is published; a failed publish is logged and
// the client sees the change on its next read instead.
import type { AccountsDeps } from './context.ts';
import type { RevokeReason } from './sessions.ts';
import { findUserById, userView } from './users.ts';

/** NATS subject on which revocations reach every gateway node, to close those sessions' sockets. */
export const sessionsRevokedSubject = (namespace: string) => `${namespace}.sessions.revoked`;

export interface RevocationNotice {
  userId: string;
  sessionIds: string[];
  reason: RevokeReason;
}

export async function publishAccountUpdated(deps: Pick<AccountsDeps, 'db' | 'topics' | 'log'>, userId: string): Promise<void> {
  try {
    const user = await findUserById(deps.db, userId);
    if (user !== undefined) await deps.topics.publish(`user:${userId}`, 'account.updated', { user: userView(user) });
  } catch (error) {
    deps.log.error({ err: error, user: userId }, `accounts.events() | account.updated not published [user:${userId}]`);
  }
}

export async function publishSessionsRevoked(deps: Pick<AccountsDeps, 'topics' | 'log'>, notice: RevocationNotice): Promise<void> {
  try {
    for (const sessionId of notice.sessionIds) await deps.topics.publish(`user:${notice.userId}`, 'session.revoked', { sessionId });
  } catch (error) {
    deps.log.error({ err: error, user: notice.userId }, `accounts.events() | session.revoked not published [user:${notice.userId}]`);
  }
}
