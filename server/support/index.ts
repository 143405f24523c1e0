// The support module's wiring: the conversations (support.ts), the forwarder that hands them to
// Chatwoot when one is configured, and the webhook its answers come back through. Made by the node
// before the HTTP app, which serves the webhook; the node starts and stops the forwarder.
import { RateLimiter } from '../accounts/rate-limits.ts';
import type { Entitlements } from '../payments/entitlements.ts';
import type { Platform } from '../platform/index.ts';
import { ChatwootClient } from './chatwoot.ts';
import { type ForwarderOptions, SupportForwarder } from './forwarder.ts';
import { Support } from './support.ts';
import { ChatwootWebhook } from './webhook.ts';

export interface SupportModule {
  support: Support;
  webhook: ChatwootWebhook;
  /** Undefined without Chatwoot. Started and stopped by the node, like the mail outbox. */
  forwarder: SupportForwarder | undefined;
}

export function createSupport(platform: Platform, entitlements: Entitlements, options: ForwarderOptions = {}): SupportModule {
  const { chatwoot } = platform.config;
  const db = platform.database.db;
  const forwarder = chatwoot === undefined ? undefined : new SupportForwarder(db, new ChatwootClient(chatwoot), platform.log, options);
  const support = new Support({
    db,
    topics: platform.topics,
    log: platform.log,
    entitlements,
    limiter: new RateLimiter(platform.cache),
    available: chatwoot !== undefined,
    wake: () => forwarder?.wake(),
  });
  return { support, webhook: new ChatwootWebhook(chatwoot, support, platform.log), forwarder };
}
