// Chatwoot's webhook over HTTP. It carries no user credential: its signature is checked before
// anything is believed (webhook.ts), and a message is stored once.
import { Elysia } from 'elysia';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { rawBodyOf } from '../http/body.ts';
import { answers, refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';
import type { ChatwootWebhook } from './webhook.ts';

const Outcome = t.Object({ outcome: t.Union([t.Literal('handled'), t.Literal('duplicate'), t.Literal('ignored')]) });

export function supportRoutes(webhook: ChatwootWebhook) {
  return new Elysia({ name: 'support-routes', prefix: '/webhooks' }).post(
    '/chatwoot',
    async ({ body, request }) => {
      const outcome = await webhook.handle(request.headers, rawBodyOf(request), body);
      if (outcome === 'unverified') throw new InvalidInputError('the event is not one Chatwoot sent', { code: 'WEBHOOK_NOT_VERIFIED' });
      if (outcome === 'unknown') throw new NotFoundError('support conversation');
      return { outcome };
    },
    {
      body: t.Record(t.String(), t.Unknown(), {
        description: 'The Chatwoot event, as Chatwoot sends it (its signature is checked over the bytes as received)',
      }),
      detail: {
        tags: ['support'],
        summary:
          'Chatwoot webhook (agents’ answers and resolved conversations; X-Chatwoot-Signature: sha256=<HMAC-SHA256 of `<X-Chatwoot-Timestamp>.<body>`> with CHATWOOT_WEBHOOK_SECRET)',
        description:
          '`message_created` of an outgoing, non-private message stores the agent’s answer once (by Chatwoot’s message id) and sends it to the person live; `conversation_status_changed` to `resolved` closes the person’s conversation. Other events, incoming messages and private notes are `ignored`. A delivery older than 5 minutes is refused as a replay; without CHATWOOT_WEBHOOK_SECRET every delivery is refused. Bodies up to 1 MiB (an agent’s answer comes twice in one).',
        ...answers({ 200: { description: 'Signed: `handled`, `duplicate` or `ignored`', schema: Outcome } }),
        ...refusals({ 400: ['WEBHOOK_NOT_VERIFIED'], 404: ['NOT_FOUND'], 413: ['BODY_TOO_LARGE'] }),
      },
    },
  );
}
