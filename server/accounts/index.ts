// Wires the accounts module for a node: signing keys, sessions, limits and the mail outbox it
// sends through. The node starts and stops the outbox worker with itself.
import { MailOutbox } from '../mail/outbox.ts';
import { createMailTransport } from '../mail/transport.ts';
import type { Platform } from '../platform/index.ts';
import type { AccountsDeps } from './context.ts';
import { RateLimiter } from './rate-limits.ts';
import { Sessions } from './sessions.ts';
import { loadKeyRing } from './tokens.ts';

export async function createAccounts(platform: Platform): Promise<AccountsDeps> {
  const { config, database, cache, log } = platform;
  const transport = createMailTransport({ smtpUrl: config.accounts.smtpUrl, dataDir: config.dataDir });
  log.info(
    { mail: { backend: transport.kind, location: transport.location } },
    `accounts.mail() | [mail:${transport.kind} ${transport.location}]`,
  );
  return {
    db: database.db,
    cache,
    keys: await loadKeyRing(config.accounts.signingKeys, database.db, log),
    sessions: new Sessions(database.db, cache),
    limiter: new RateLimiter(cache),
    outbox: new MailOutbox(database.db, transport, log, { from: config.accounts.mailFrom }),
    config: config.accounts,
    log,
  };
}
