// One PetAmigos node: opens the platform (database, bus, cache, storage), records its boot, and
// serves HTTP on Bun.serve. Roles beyond the gateway attach here as their issues land.

import { callActorKind } from '../actors/call.ts';
import { createMemoryLeases, openJetStreamLeases } from '../actors/leases.ts';
import { Reminders } from '../actors/reminders.ts';
import { roomActorKind } from '../actors/room.ts';
import { ActorSystem } from '../actors/system.ts';
import { type UserMessage, userActorKind } from '../actors/user.ts';
import packageJson from '../package.json' with { type: 'json' };
import { Sfu } from '../sfu/sfu.ts';
import type { AccountsDeps } from './accounts/context.ts';
import { createAccounts } from './accounts/index.ts';
import { RateLimiter } from './accounts/rate-limits.ts';
import { MessageWriter } from './chats/message-writer.ts';
import { SendLimit } from './chats/send-limit.ts';
import { createGateway, type Gateway, type GatewayOptions } from './gateway/gateway.ts';
import { createHttpApp } from './http/app.ts';
import { clientFiles } from './http/client.ts';
import { createMetrics } from './http/metrics.ts';
import { securityHeaders, withHeaders } from './http/security.ts';
import { createMediaModule } from './media/index.ts';
import { registerOpsService } from './ops/service.ts';
import { createPayments, type PaymentsModule } from './payments/index.ts';
import { createSocial, type Social } from './people/social.ts';
import type { Config } from './platform/config.ts';
import { openPlatform, type Platform } from './platform/index.ts';
import type { Logger } from './platform/log.ts';
import { openCaptionEmbedder } from './reels/embedder.ts';
import { createSupport } from './support/index.ts';
import { recordBoot } from './system/boot.ts';

export interface RunningNode {
  readonly url: string;
  readonly port: number;
  readonly platform: Platform;
  readonly accounts: AccountsDeps;
  readonly gateway: Gateway | undefined;
  readonly actors: ActorSystem;
  readonly social: Social;
  readonly payments: PaymentsModule;
  /** With the sfu role: the SFU's workers, or why there are none. */
  readonly sfu: Sfu | undefined;
  /** The HTTP routes with their schemas (tests walk them: server/http/closed.test.ts). */
  readonly httpRoutes: readonly { method: string; path: string; hooks: { body?: unknown; query?: unknown; params?: unknown } }[];
  stop(): Promise<void>;
}

const VERSION = packageJson.version;

export interface NodeOptions {
  /** Gateway options beyond the defaults (tests shorten limits or add calls). */
  gateway?: Omit<GatewayOptions, 'platform' | 'accounts' | 'actors' | 'social'>;
}

export async function startNode(config: Config, log: Logger, options: NodeOptions = {}): Promise<RunningNode> {
  const startedAt = Date.now();
  // Before anything is opened: a model folder that does not load stops the node with nothing to close.
  const captions = await openCaptionEmbedder(config.reels.modelDir);
  const platform = await openPlatform(config, log);
  let sfu: Sfu | undefined;
  try {
    const boot = await recordBoot(platform.database.db, config.nodeId);
    const client = clientFiles(config.clientDir);
    if (!client.built) log.warn({ clientDir: client.root }, `node.start() | web client not built [dir:${client.root}]`);
    const accounts = await createAccounts(platform);
    const peers = new WeakMap<Request, string>();
    // Media progress goes to the owner's sessions through their user actor, which exists a few
    // lines below; nothing is announced before the node has started.
    let actorsForMedia: ActorSystem | undefined;
    const media = await createMediaModule(platform, (ownerId, view) =>
      actorsForMedia?.tell('user', ownerId, { op: 'mediaChanged', media: view } satisfies UserMessage),
    );
    const payments = createPayments(platform, accounts.outbox);
    const support = createSupport(platform, payments.entitlements);
    // Never fails the start: without workers the SFU is only unavailable (health says why).
    if (config.roles.has('sfu')) sfu = await Sfu.start(config.sfu, config.logLevel, log);
    const app = createHttpApp({
      platform,
      media,
      payments,
      support,
      metrics: createMetrics(config.nodeId),
      client,
      startedAt,
      accounts,
      sfu,
      peerAddress: (request) => peers.get(request),
      // Staff routes are served once the node has started, when social exists.
      verification: () => (social as Social).verification,
    });
    accounts.outbox.start();
    support.forwarder?.start();
    if (config.roles.has('media')) await media.startWorkers();
    let social: Social | undefined;
    const leases =
      platform.bus.natsConnection === undefined
        ? createMemoryLeases(config.actorLeaseTtlMs)
        : await openJetStreamLeases(platform.bus.natsConnection, config.clusterName, config.actorLeaseTtlMs);
    const reminders = new Reminders(platform.database.db, log);
    const actors = await ActorSystem.start({
      bus: platform.bus,
      leases,
      node: config.nodeId,
      namespace: config.clusterName,
      log,
      kinds: [
        roomActorKind({
          db: platform.database.db,
          writer: new MessageWriter(platform.database),
          topics: platform.topics,
          log,
          sendLimit: new SendLimit(new RateLimiter(platform.cache), config.chatMessagesPerMinute, log),
          idleMs: config.actorIdleMs,
          // The chats module exists once the actor system does; rooms only call it after start.
          revokeAccess: (conversationId) => {
            social?.chats.revokeAccess(conversationId);
            social?.calls.revokeAccess(conversationId);
          },
          mayAdd: (adderId, userId) => (social as Social).chats.mayAdd(adderId, userId),
          ringMembers: config.callRingMembers,
        }),
        callActorKind({
          db: platform.database.db,
          topics: platform.topics,
          log,
          reminders,
          sfu,
          ice: config.sfu.ice,
          ringMs: config.callRingSeconds * 1000,
          reconnectMs: config.callReconnectSeconds * 1000,
          maxMs: config.callMaxSeconds * 1000,
          idleMs: config.actorIdleMs,
        }),
        userActorKind({
          bus: platform.bus,
          topics: platform.topics,
          db: platform.database.db,
          namespace: config.clusterName,
          idleMs: config.actorIdleMs,
          pushMessage: (userId, message) => void social?.notifier.pushMessage(userId, message),
          pushCall: (userId, call) =>
            void social?.notifier.pushCall(userId, {
              id: call.id,
              conversationId: call.conversationId,
              kind: call.kind,
              startedBy: call.startedBy,
              ringSeconds: config.callRingSeconds,
            }),
        }),
      ],
      host: config.roles.has('actors'),
      reminders,
      // Calls are placed on the least-loaded SFU of the cluster (their consumers).
      sfuLoad: () => (sfu?.availability().available ? sfu.load().consumers : undefined),
      sfuBitrate: () => (sfu?.availability().available ? sfu.load().bitrate : undefined),
    });
    actorsForMedia = actors;
    social = await createSocial(platform, accounts, actors, media.media, reminders, captions, payments, support.support);
    // A node that died took the routers of its calls with it: the calls move (server/calls/calls.ts).
    actors.onNodeLost(
      (nodes) =>
        void (social as Social).calls
          .nodesLost(nodes)
          .catch((error: unknown) => log.error({ err: error, nodes }, 'node.nodeLost() | calls not moved')),
    );
    social.digest.start();
    social.storyCleanup.start();
    payments.reconciler.job.start();
    payments.renewals.job.start();
    social.reelVectors.job.start();
    social.captionVectors.job.start();
    const gateway: Gateway | undefined = config.roles.has('gateway')
      ? createGateway({ platform, accounts, actors, social, ...options.gateway })
      : undefined;
    const headers = securityHeaders({ appUrl: config.accounts.appUrl, storageOrigin: config.s3?.endpoint.origin });
    const server = Bun.serve({
      port: config.port,
      hostname: config.host,
      fetch: async (request, bunServer) => {
        if (gateway !== undefined && new URL(request.url).pathname === '/ws') {
          const refused = gateway.upgrade(request, bunServer);
          return refused === undefined ? undefined : withHeaders(refused, headers);
        }
        const address = bunServer.requestIP(request)?.address;
        if (address !== undefined) peers.set(request, address);
        return withHeaders(await app.handle(request), headers);
      },
      // Without the gateway role no request is upgraded, so this handler never runs.
      websocket: gateway?.websocket ?? { message: () => undefined },
    });
    gateway?.attach(server);
    const nc = platform.bus.natsConnection;
    const ops =
      nc === undefined
        ? undefined
        : await registerOpsService(nc, {
            node: config.nodeId,
            cluster: config.clusterName,
            version: VERSION,
            startedAt,
            actors,
            gateway,
            topics: platform.topics,
            gc: config.opsGc,
          });
    const port = server.port as number;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    log.info(
      { port, url, installationId: boot.installationId, bootCount: boot.bootCount, roles: [...config.roles], captions: captions.name },
      `node.start() | listening [url:${url}] [installation:${boot.installationId}] [boot:${boot.bootCount}] [captions:${captions.name}]`,
    );
    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      platform,
      accounts,
      gateway,
      actors,
      social,
      payments,
      sfu,
      httpRoutes: app.routes as RunningNode['httpRoutes'],
      stop() {
        stopping ??= (async () => {
          gateway?.close();
          await server.stop();
          // Deliveries and fan-outs under way still ask user actors and write to the log.
          await Promise.all([social.notifier.settled(), social.posts.settled(), social.stories.settled()]);
          await actors.stop();
          await ops?.stop();
          await social.digest.stop();
          await social.storyCleanup.stop();
          await payments.reconciler.job.stop();
          await payments.renewals.job.stop();
          await social.reelVectors.job.stop();
          await social.captionVectors.job.stop();
          await accounts.outbox.stop();
          await support.forwarder?.stop();
          await media.stop();
          await sfu?.stop();
          await platform.close();
          log.info('node.stop() | stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await sfu?.stop();
    await platform.close();
    throw error;
  }
}
