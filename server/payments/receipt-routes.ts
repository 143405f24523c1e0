// A payment's receipt as a PDF, for its owner: `GET /payments/:id/receipt.pdf` with the bearer
// token. Another person's payment answers as an unknown one does (NOT_FOUND).
import { Elysia } from 'elysia';
import type { AccountsDeps } from '../accounts/context.ts';
import { accountsGuard } from '../accounts/guard.ts';
import { answers, refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';
import type { Receipts } from './receipts.ts';

export function receiptRoutes(deps: AccountsDeps, peerAddress: (request: Request) => string | undefined, receipts: Receipts) {
  return new Elysia({ name: 'receipt-routes', prefix: '/payments' }).use(accountsGuard(deps, peerAddress)).get(
    '/:id/receipt.pdf',
    async ({ params, principal }) => {
      const { filename, bytes } = await receipts.pdf(principal.userId, params.id);
      return new Response(bytes, {
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `attachment; filename="${filename}"`,
          // A personal document: never kept by a shared cache.
          'cache-control': 'private, no-store',
        },
      });
    },
    {
      role: 'user',
      params: t.Object({ id: t.String({ format: 'uuid', description: 'The payment' }) }),
      detail: {
        tags: ['payments'],
        summary: "The receipt of one of the caller's payments, as a PDF in their language",
        description:
          'For a payment that was completed (also once refunded or charged back: the receipt then shows what was given back). Its number is derived from the payment, so the same receipt downloads again the same.',
        ...answers({
          200: { description: 'The receipt (one A4 page)', type: 'application/pdf', schema: { type: 'string', format: 'binary' } },
        }),
        ...refusals({ 404: ['NOT_FOUND'], 409: ['NO_RECEIPT'] }),
      },
    },
  );
}
