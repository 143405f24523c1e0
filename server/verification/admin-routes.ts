// Staff endpoints of verification: the queue of pending requests (oldest first), and approving or
// rejecting one. Admins only; every decision is audited with who took it (verification_audit) and
// reaches the person on their `user:<id>` topic.
import type { Static } from '@sinclair/typebox';
import { Elysia } from 'elysia';
import { VerificationRequest } from '../../protocol/calls/verification.ts';
import { VERIFICATION_LIMITS } from '../../protocol/lists.ts';
import { Uuid } from '../../protocol/spec.ts';
import { T } from '../../protocol/typebox.ts';
import type { AccountsDeps } from '../accounts/context.ts';
import { accountsGuard } from '../accounts/guard.ts';
import { refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';
import type { QueuedRequest, Verification } from './verification.ts';

type RequestView = Static<typeof VerificationRequest>;
const Queued = T.Object({ ...VerificationRequest.properties, user: T.Object({ id: Uuid, username: T.String() }) });

export function verificationAdminRoutes(
  deps: AccountsDeps,
  peerAddress: (request: Request) => string | undefined,
  verification: () => Verification,
) {
  const params = t.Object({ id: t.String({ format: 'uuid' }) });
  const decided = { 200: t.Object({ request: t.Unsafe<RequestView>(VerificationRequest) }) };
  return new Elysia({ name: 'verification-admin-routes', prefix: '/admin/verification' })
    .use(accountsGuard(deps, peerAddress))
    .get('/', ({ query }) => verification().queue(query.after), {
      role: 'admin',
      query: t.Object({ after: t.Optional(t.String({ format: 'uuid', description: 'From the previous page' })) }),
      response: {
        200: t.Object({
          items: t.Array(t.Unsafe<QueuedRequest>(Queued)),
          after: t.Union([t.String({ format: 'uuid' }), t.Null()], { description: 'Pass as `after` for the next page; null at the end' }),
        }),
      },
      detail: {
        tags: ['admin'],
        summary: `Verification requests waiting for a decision, oldest first, ${VERIFICATION_LIMITS.page} a page, with who asked`,
      },
    })
    .post('/:id/approve', async ({ params: { id }, principal }) => ({ request: await verification().approve(id, principal.userId) }), {
      role: 'admin',
      params,
      response: decided,
      detail: {
        tags: ['admin'],
        summary:
          'Approve a pending verification request: the person is verified (shown while their plan has verification); audited with the admin, and the person is told',
        ...refusals({ 404: ['NOT_FOUND'], 409: ['VERIFICATION_DECIDED'] }),
      },
    })
    .post(
      '/:id/reject',
      async ({ params: { id }, body, principal }) => ({ request: await verification().reject(id, principal.userId, body.reason) }),
      {
        role: 'admin',
        params,
        body: t.Object(
          { reason: t.String({ minLength: 1, maxLength: VERIFICATION_LIMITS.reasonChars, description: 'Why: shown to the person' }) },
          { additionalProperties: false },
        ),
        response: decided,
        detail: {
          tags: ['admin'],
          summary:
            'Reject a pending verification request with a reason shown to the person; audited with the admin, and the person is told',
          ...refusals({ 400: ['INVALID_INPUT'], 404: ['NOT_FOUND'], 409: ['VERIFICATION_DECIDED'] }),
        },
      },
    );
}
