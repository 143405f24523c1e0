// Wires the accounts module for a node: signing keys, sessions, limits and the mail outbox it
// sends through. The node starts and stops the outbox worker with itself.
import { MailOutbox } from '../mail/outbox.ts';
import { createMailTransport } from '../mail/transport.ts';
import type { Platform } from '../platform/index.ts';
import type { AccountsDeps } from './context.ts';
import { DeviceCookies } from './device-cookies.ts';
import { publishSessionsRevoked, type RevocationNotice, sessionsRevokedSubject } from './events.ts';
import { PersonalTokens } from './personal-tokens.ts';
import { RateLimiter } from './rate-limits.ts';
import { type RevokeReason, Sessions } from './sessions.ts';
import { loadKeyRing } from './tokens.ts';

export async function createAccounts(platform: Platform): Promise<AccountsDeps> {
  const { config, database, cache, log } = platform;
  const transport = createMailTransport({ smtpUrl: config.accounts.smtpUrl, dataDir: config.dataDir });
  log.info(
    { mail: { backend: transport.kind, location: transport.location } },
    `accounts.mail() | [mail:${transport.kind} ${transport.location}]`,
  );
  const { bus, topics } = platform;
  const onRevoked = async (userId: string, sessionIds: string[], reason: RevokeReason) => {
    const notice: RevocationNotice = { userId, sessionIds, reason };
    bus.publish(sessionsRevokedSubject(config.clusterName), new TextEncoder().encode(JSON.stringify(notice)));
    await publishSessionsRevoked({ topics, log }, notice);
  };
  const limiter = new RateLimiter(cache);
  // A revoked personal token closes its sockets on every node as a revoked session does: the
  // token's id stands for the session id of sockets opened with it.
  const onTokenRevoked = (userId: string, tokenId: string) => {
    const notice: RevocationNotice = { userId, sessionIds: [tokenId], reason: 'revoked' };
    bus.publish(sessionsRevokedSubject(config.clusterName), new TextEncoder().encode(JSON.stringify(notice)));
  };
  return {
    db: database.db,
    cache,
    keys: await loadKeyRing(config.accounts.signingKeys, database.db, log, config.accounts.accessTokenTtlSeconds),
    sessions: new Sessions(database.db, cache, onRevoked, config.accounts.accessTokenTtlSeconds),
    tokens: new PersonalTokens(database.db, limiter, onTokenRevoked),
    limiter,
    deviceCookies: await DeviceCookies.load(database.db, config.accounts.appUrl.startsWith('https:')),
    outbox: new MailOutbox(database.db, transport, log, { from: config.accounts.mailFrom }),
    topics,
    config: config.accounts,
    log,
    bus,
    namespace: config.clusterName,
  };
}
