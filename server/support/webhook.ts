// Chatwoot's webhook: agents' answers (`message_created`) and resolved conversations
// (`conversation_status_changed`). Current Chatwoot signs each delivery (chatwoot/chatwoot#13573,
// February 2026): X-Chatwoot-Signature is `sha256=` and the HMAC-SHA256, keyed with the webhook's
// secret, of `<X-Chatwoot-Timestamp>.<raw body>`. A delivery unsigned, signed otherwise, or older
// than MAX_AGE_S (a replay) is refused before anything is read; one for another account or inbox
// is ignored. Only outgoing messages that are not private reach the person: the person's own
// (incoming, which we posted), agents' internal notes and activity lines are ignored. Each
// message is stored once by Chatwoot's id.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChatwootConfig } from '../platform/config.ts';
import type { Logger } from '../platform/log.ts';
import type { Support } from './support.ts';

/** How old a signed delivery may be (Chatwoot's advice: about 5 minutes). */
const MAX_AGE_S = 300;

export type ChatwootWebhookOutcome = 'handled' | 'duplicate' | 'ignored' | 'unknown' | 'unverified';

/** The signature Chatwoot sends for `body` at `timestamp` (seconds) with `secret`. */
function chatwootSignature(secret: string, timestamp: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

function signedBy(secret: string, headers: Headers, raw: Uint8Array, now: number): boolean {
  const signature = headers.get('x-chatwoot-signature') ?? '';
  const timestamp = headers.get('x-chatwoot-timestamp') ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > MAX_AGE_S) return false;
  const expected = Buffer.from(chatwootSignature(secret, timestamp, raw));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const idOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;

export class ChatwootWebhook {
  readonly #config: ChatwootConfig | undefined;
  readonly #support: Support;
  readonly #log: Logger;

  constructor(config: ChatwootConfig | undefined, support: Support, log: Logger) {
    this.#config = config;
    this.#support = support;
    this.#log = log;
  }

  async handle(headers: Headers, raw: Uint8Array, body: unknown): Promise<ChatwootWebhookOutcome> {
    const config = this.#config;
    if (config === undefined || !signedBy(config.webhookSecret, headers, raw, Date.now())) {
      this.#log.warn(
        { delivery: headers.get('x-chatwoot-delivery') },
        `support.webhook() | refused: not signed by Chatwoot [delivery:${headers.get('x-chatwoot-delivery')}]`,
      );
      return 'unverified';
    }
    if (!isRecord(body)) return 'ignored';
    const account = isRecord(body.account) ? idOf(body.account.id) : undefined;
    if (account !== undefined && account !== config.accountId) return 'ignored';
    // The account's other inboxes (a website widget, email) are not ours to answer.
    const inbox = isRecord(body.inbox) ? idOf(body.inbox.id) : idOf(body.inbox_id);
    if (inbox !== undefined && inbox !== config.inboxId) return 'ignored';
    if (body.event === 'message_created') return this.#message(body);
    if (body.event === 'conversation_status_changed' && body.status === 'resolved') {
      const conversation = idOf(body.id);
      return conversation === undefined ? 'ignored' : this.#support.resolved(conversation);
    }
    return 'ignored';
  }

  #message(body: Record<string, unknown>): Promise<ChatwootWebhookOutcome> | ChatwootWebhookOutcome {
    // Webhooks name the type (`outgoing`); the API's own objects number it (1).
    const outgoing = body.message_type === 'outgoing' || body.message_type === 1;
    if (!outgoing || body.private !== false) return 'ignored';
    const messageId = idOf(body.id);
    const conversation = isRecord(body.conversation) ? idOf(body.conversation.id) : undefined;
    const text = typeof body.content === 'string' ? body.content.trim() : '';
    if (messageId === undefined || conversation === undefined || text === '') return 'ignored';
    const sender = isRecord(body.sender) ? body.sender : {};
    const name = typeof sender.available_name === 'string' ? sender.available_name : sender.name;
    return this.#support.agentReplied(conversation, {
      chatwootMessageId: messageId,
      text,
      agentName: typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 100) : null,
    });
  }
}
