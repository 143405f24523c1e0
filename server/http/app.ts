// The HTTP side of a node (Elysia): health, metrics, the OpenAPI document, the protocol's JSON
// Schema, the accounts API and the web client. Every JSON body goes through the strict parser;
// every error leaves in one shape.
import { openapi } from '@elysiajs/openapi';
import { Elysia } from 'elysia';
import { registerFormats } from '../../protocol/formats.ts';
import type { Sfu } from '../../sfu/sfu.ts';
import type { AccountsDeps } from '../accounts/context.ts';
import { accountsRoutes } from '../accounts/routes.ts';
import { adminRoutes } from '../admin/routes.ts';
import type { MediaModule } from '../media/index.ts';
import { mediaRoutes } from '../media/routes.ts';
import { paymentAdminRoutes, subscriptionAdminRoutes } from '../payments/admin-routes.ts';
import type { PaymentsModule } from '../payments/index.ts';
import { receiptRoutes } from '../payments/receipt-routes.ts';
import { paymentRoutes } from '../payments/routes.ts';
import { peopleRoutes } from '../people/routes.ts';
import type { Platform } from '../platform/index.ts';
import type { SupportModule } from '../support/index.ts';
import { supportRoutes } from '../support/routes.ts';
import { verificationAdminRoutes } from '../verification/admin-routes.ts';
import type { Verification } from '../verification/verification.ts';
import { strictJson } from './body.ts';
import type { ClientFiles } from './client.ts';
import { errorBody, toHttpError } from './errors.ts';
import { checkHealth, HealthReportSchema } from './health.ts';
import { authorizeMetrics, type NodeMetrics } from './metrics.ts';
import { answers, completeDocument, refusals } from './openapi.ts';
import { protocolSchemaRoutes } from './protocol-schema.ts';

// @elysiajs/openapi, loaded above, set `uuid`, `date` and `date-time` to Zod-built checks: the
// catalogue's go back (protocol/formats.ts).
registerFormats();

export interface HttpDeps {
  platform: Platform;
  media: MediaModule;
  payments: PaymentsModule;
  support: SupportModule;
  metrics: NodeMetrics;
  client: ClientFiles;
  startedAt: number;
  accounts: AccountsDeps;
  /** The node's SFU, with the sfu role (its state is part of /health). */
  sfu: Sfu | undefined;
  /** The socket address of a request's client, from Bun.serve. */
  peerAddress(request: Request): string | undefined;
  /** Verification, made with the social modules once the actors run (its decisions notify); only asked for by requests. */
  verification(): Verification;
}

export function createHttpApp({
  platform,
  media,
  payments,
  support,
  metrics,
  client,
  startedAt,
  accounts,
  sfu,
  peerAddress,
  verification,
}: HttpDeps) {
  const started = new WeakMap<Request, number>();
  const statusOf = (status: unknown): number => (typeof status === 'number' ? status : 200);
  // The routes, for the parts of the OpenAPI document taken from them (openapi.ts), known once the app is built.
  const built: { routes: Parameters<typeof completeDocument>[1] } = { routes: [] };
  /** Each document the OpenAPI plugin served, as completed (errors, bodies, plain integers). */
  const completed = new WeakMap<object, unknown>();
  const app = new Elysia({ normalize: false })
    .onRequest(({ request }) => {
      started.set(request, performance.now());
    })
    .onAfterResponse(({ request, route, set }) => {
      const began = started.get(request);
      if (began === undefined) return;
      metrics.observeRequest(request.method, route === '' ? 'unmatched' : route, statusOf(set.status), (performance.now() - began) / 1000);
    })
    .onError(({ error, code, set, path }) => {
      const { status, body, headers } = toHttpError(error, code, platform.log, path);
      set.status = status;
      Object.assign(set.headers, headers);
      return body;
    })
    .use(strictJson)
    .onAfterHandle({ as: 'global' }, ({ path, response }) => {
      if (path !== '/openapi/json' || typeof response !== 'object' || response === null) return undefined;
      // The plugin hands out one cached document until the routes change: complete it once.
      let document = completed.get(response);
      if (document === undefined) {
        document = completeDocument(response, built.routes);
        completed.set(response, document);
      }
      return document;
    })
    .use(
      openapi({
        path: '/openapi',
        provider: null,
        documentation: {
          info: {
            title: 'PetAmigos HTTP API',
            version: '1',
            description: 'Accounts, health and metrics. Everything after sign-in travels over the WebSocket protocol.',
          },
          components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
        },
        // staticFile: off, else a path with a dot (/protocol/schema.json) would be left out.
        exclude: { paths: ['/*'], staticFile: false },
      }),
    )
    .use(accountsRoutes(accounts, peerAddress))
    .use(adminRoutes(accounts, peerAddress))
    .use(peopleRoutes(accounts, peerAddress))
    .use(mediaRoutes(accounts, peerAddress, media.media, platform.storage, media.urls))
    .use(paymentRoutes(payments.webhooks))
    .use(supportRoutes(support.webhook))
    .use(paymentAdminRoutes(accounts, peerAddress, payments))
    .use(subscriptionAdminRoutes(accounts, peerAddress))
    .use(receiptRoutes(accounts, peerAddress, payments.receipts))
    .use(verificationAdminRoutes(accounts, peerAddress, verification))
    .use(protocolSchemaRoutes())
    .get(
      '/health',
      async ({ set }) => {
        const report = await checkHealth(platform, startedAt, sfu);
        set.status = report.status === 'ok' ? 200 : 503;
        set.headers['cache-control'] = 'no-store';
        return report;
      },
      {
        detail: {
          tags: ['operations'],
          summary: "This node's state and each dependency's",
          ...answers({
            200: { description: 'Every dependency answers (the SFU may still be unavailable: see `sfu`)', schema: HealthReportSchema },
            503: { description: 'A dependency is down: `failing` names it (this body, not the error shape)', schema: HealthReportSchema },
          }),
        },
      },
    )
    .get(
      '/metrics',
      async ({ request, headers, set }) => {
        authorizeMetrics(platform.config.metricsToken, headers.authorization, peerAddress(request), accounts.config.trustProxy);
        set.headers['content-type'] = metrics.registry.contentType;
        return metrics.registry.metrics();
      },
      {
        detail: {
          tags: ['operations'],
          summary: "Prometheus text: with Authorization: Bearer $METRICS_TOKEN, or (without METRICS_TOKEN) from the node's own host",
          ...answers({ 200: { description: 'Prometheus exposition format', type: 'text/plain', schema: { type: 'string' } } }),
          ...refusals({ 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'] }),
        },
      },
    )
    .get('/*', ({ path, set, request }) => {
      const response = client.serve(path, request.headers.get('accept-encoding'));
      if (response !== undefined) return response;
      set.status = 404;
      return client.built
        ? errorBody('NOT_FOUND', `no such resource ${path}`)
        : errorBody('CLIENT_NOT_BUILT', 'the web client is not built: `npm start` builds it');
    });
  built.routes = app.routes;
  return app;
}
