// Configuration: the only place that reads process.env. Every variable is declared once in
// `variables` (name, meaning, default, parser); `.env.example` is generated from the same list
// (scripts/env-example.ts) and a test keeps the two equal.
import { availableParallelism, homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { type AccountsConfig, accountsConfig, accountVariables } from '../accounts/config.ts';
import { ConfigError } from '../errors.ts';
import type { PlacesConfig } from '../places/places.ts';
import { type Env, expected, integer, oneOf, optionalText, optionalUrl, text, type Variable } from './env.ts';

const ROLES = ['gateway', 'actors', 'media', 'sfu'] as const;
type Role = (typeof ROLES)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface S3Config {
  endpoint: URL;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

export interface Config {
  port: number;
  host: string;
  nodeId: string;
  clusterName: string;
  roles: ReadonlySet<Role>;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  natsUrl: string | undefined;
  redisUrl: string | undefined;
  s3: S3Config | undefined;
  clientDir: string;
  logLevel: LogLevel;
  logFormat: 'json' | 'pretty';
  healthTimeoutMs: number;
  shutdownTimeoutMs: number;
  wsCallsPerSecond: number;
  wsCallBurst: number;
  wsSocketsPerUser: number;
  wsUserCallsPerSecond: number;
  wsPendingSocketsPerAddress: number;
  natsMonitorUrl: string | undefined;
  metricsToken: string | undefined;
  /** Benchmarks only: the ops service answers `<cluster>.ops.gc.<node>` with a full collection. */
  opsGc: boolean;
  actorLeaseTtlMs: number;
  actorIdleMs: number;
  webPush: WebPushConfig;
  friendRequestsPerHour: number;
  chatMessagesPerMinute: number;
  /** How long a call rings a callee before it counts as missed (CALL_RING_SECONDS). */
  callRingSeconds: number;
  /** Calls one user may start per hour (CALLS_PER_HOUR). */
  callsPerHour: number;
  /** How often one person may be rung an hour, whoever calls (CALL_RINGS_PER_HOUR). */
  callRingsPerHour: number;
  /** How often one person may join or answer one call a minute (CALL_JOINS_PER_MINUTE). */
  callJoinsPerMinute: number;
  /** How many members of a group a call rings at most (CALL_RING_MEMBERS). */
  callRingMembers: number;
  /** How long a call waits for someone whose device went away to come back (CALL_RECONNECT_SECONDS). */
  callReconnectSeconds: number;
  /** How long a call may last (CALL_MAX_SECONDS). */
  callMaxSeconds: number;
  locationChangesPerDay: number;
  reportsPerHour: number;
  places: PlacesConfig;
  savedPostsMax: number;
  stories: StoriesConfig;
  reels: ReelsConfig;
  mail: MailConfig;
  media: MediaConfig;
  sfu: SfuConfig;
  accounts: AccountsConfig;
  payments: PaymentsConfig;
  /** Undefined: no helpdesk (support.send answers SUPPORT_UNAVAILABLE). */
  chatwoot: ChatwootConfig | undefined;
}

/** Chatwoot, where support conversations go (server/support/). */
export interface ChatwootConfig {
  baseUrl: string;
  accountId: number;
  /** The API channel inbox conversations are opened in. */
  inboxId: number;
  /** An agent's or agent bot's access token (the `api_access_token` header). */
  apiToken: string;
  /** The webhook's secret: X-Chatwoot-Signature is its HMAC-SHA256 of `<X-Chatwoot-Timestamp>.<body>`. */
  webhookSecret: string;
}

export interface PaymentsConfig {
  /** Undefined: PayPal is not offered (payments.checkout answers PAYMENT_METHOD_UNAVAILABLE). */
  paypal: { clientId: string; clientSecret: string; webhookId: string; apiUrl: string } | undefined;
  /** Undefined: Mercado Pago is not offered. */
  mercadoPago: { accessToken: string; webhookSecret: string; apiUrl: string } | undefined;
  /** How often payments still waiting are asked of their providers (one node at a time). */
  reconcileEveryMs: number;
  /** Undefined: SPEI transfers are not offered. */
  spei:
    | {
        clabePrefix: string;
        beneficiary: string;
        bankName: string;
        /** Undefined: transfers are confirmed by an admin only (v1), no provider webhook. */
        webhookSecret: string | undefined;
        expiresMs: number;
      }
    | undefined;
  /** Who receipts name as the seller. */
  billing: { sellerName: string; sellerAddress: string[] };
}

interface StoriesConfig {
  /** How long a story stays in trays and viewers. */
  lifetimeMs: number;
  /** Stories one user may post per day. */
  perDay: number;
  /** How often the cleanup of expired stories runs (one node at a time). */
  cleanupEveryMs: number;
}

interface ReelsConfig {
  /** How often the collaborative vectors are learned (collaborative.ts). */
  vectorsEveryMs: number;
  /** A transformers.js model folder for caption vectors; undefined: the lexical embedding (embedder.ts). */
  modelDir: string | undefined;
  /** How often reels embedded by another embedder are re-embedded (captions.ts). */
  captionsEveryMs: number;
}

interface MailConfig {
  /** Notification mails one address gets per hour; the rest wait for the digest. */
  notificationsPerHour: number;
  /** How often the digest of held notifications is sent. */
  digestEveryMs: number;
}

interface MediaConfig {
  /** Jobs run at once on a node with the media role. */
  workers: number;
  attempts: number;
  ackWaitMs: number;
  /** Text drawn on medium and large images; empty: none. */
  watermark: string;
  /** Bounds on the work and storage one user's uploads may take (see README, "Media limits"). */
  imageMaxPixels: number;
  videoMaxDurationMs: number;
  probeTimeoutMs: number;
  transcodeTimeoutMs: number;
  uploadsPerUser: number;
  jobsPerUser: number;
  quotaBytes: number;
}

/** The SFU (mediasoup) of a node with the sfu role; sfu/README.md. */
export interface SfuConfig {
  /** MEDIASOUP_WORKER_BIN; undefined: the cached worker in `cacheDir`. */
  workerBin: string | undefined;
  /** Where scripts/sfu-worker.mjs keeps the worker it downloads or builds. */
  cacheDir: string;
  /** mediasoup workers (processes) this node runs. */
  workers: number;
  /** The ports WebRTC transports are given (UDP and TCP), inclusive. */
  rtcMinPort: number;
  rtcMaxPort: number;
  /** The address WebRTC transports listen on, and the one put in their ICE candidates (announced). */
  listenIp: string;
  announcedIp: string | undefined;
  /** STUN and TURN servers handed to clients with each call (sfu/ice.ts). */
  ice: IceConfig;
}

/** STUN/TURN servers for clients behind NAT; TURN with time-limited credentials (TURN REST API). */
export interface IceConfig {
  stunUrls: string[];
  turnUrls: string[];
  /** coturn's `static-auth-secret`; set whenever turnUrls is not empty. */
  turnSecret: string | undefined;
  credentialTtlSeconds: number;
}

export interface WebPushConfig {
  /** Undefined: a key pair is generated once and kept in the database (notifications/push.ts). */
  vapidKeys: { publicKey: string; privateKey: string } | undefined;
  subject: string;
  /** Push services subscriptions may point at; anything else is refused (no requests to arbitrary hosts). */
  allowedHosts: string[];
}

/** The push services of Chrome, Firefox, Edge and Safari. */
const PUSH_SERVICE_HOSTS = ['fcm.googleapis.com', 'updates.push.services.mozilla.com', '*.notify.windows.com', 'web.push.apple.com'];

const S3_PARTS = ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const;

const variables = {
  port: {
    name: 'PORT',
    doc: 'HTTP and WebSocket port of this node (0 picks a free port).',
    example: '3000',
    parse: integer('PORT', 0, 65535, 3000),
  },
  host: {
    name: 'HOST',
    doc: 'Interface to listen on.',
    example: '0.0.0.0',
    parse: text('HOST', '0.0.0.0'),
  },
  nodeId: {
    name: 'NODE_ID',
    doc: 'Name of this node in the cluster; defaults to <hostname>-<pid>. Letters, digits, "-", "_".',
    commentedExample: 'node-1',
    parse: text(
      'NODE_ID',
      `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9_-]/g, '-'),
      /^[A-Za-z0-9_-]{1,64}$/,
      'letters, digits, "-" or "_" (1 to 64)',
    ),
  },
  clusterName: {
    name: 'CLUSTER_NAME',
    doc: 'Namespace shared by the nodes of one cluster: NATS subjects, KV buckets and Redis keys start with it.',
    example: 'petamigos',
    parse: text('CLUSTER_NAME', 'petamigos', /^[A-Za-z0-9_-]{1,48}$/, 'letters, digits, "-" or "_" (1 to 48)'),
  },
  roles: {
    name: 'ROLES',
    doc: `Comma-separated roles this node runs: ${ROLES.join(', ')}.`,
    example: ROLES.join(','),
    parse: (raw: string | undefined): ReadonlySet<Role> => {
      if (raw === undefined || raw.trim() === '') return new Set(ROLES);
      const parts = raw.split(',').map((part) => part.trim());
      if (parts.some((part) => !(ROLES as readonly string[]).includes(part))) {
        throw expected('ROLES', `a comma-separated list of ${ROLES.join(', ')}`, raw);
      }
      return new Set(parts as Role[]);
    },
  },
  dataDir: {
    name: 'DATA_DIR',
    doc: 'Folder for embedded-mode data: the PGlite database (without DATABASE_URL) and objects (without S3_ENDPOINT).',
    example: './data',
    parse: text('DATA_DIR', './data'),
  },
  databaseUrl: {
    name: 'DATABASE_URL',
    doc: 'PostgreSQL server. Unset: embedded PGlite in DATA_DIR.',
    commentedExample: 'postgres://petamigos:petamigos@localhost:5432/petamigos',
    parse: optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']),
  },
  databasePoolMax: {
    name: 'DATABASE_POOL_MAX',
    doc: 'Connections in this node\u2019s PostgreSQL pool.',
    example: '10',
    parse: integer('DATABASE_POOL_MAX', 1, 1000, 10),
  },
  natsUrl: {
    name: 'NATS_URL',
    doc: 'NATS server with JetStream (comma-separated for several), with credentials as nats://user:password@host:4222 or nats://token@host:4222. Unset: an in-process bus (one node only).',
    commentedExample: 'nats://localhost:4222',
    parse: (raw: string | undefined): string | undefined => {
      if (raw === undefined || raw.trim() === '') return undefined;
      for (const part of raw.split(',')) optionalUrl('NATS_URL', ['nats:', 'tls:', 'ws:', 'wss:'])(part.trim());
      return raw.trim();
    },
  },
  redisUrl: {
    name: 'REDIS_URL',
    doc: 'Redis server for counters and rate limits, with a password as redis://:password@host:6379. Unset: in-memory (one node only).',
    commentedExample: 'redis://localhost:6379',
    parse: optionalUrl('REDIS_URL', ['redis:', 'rediss:']),
  },
  s3: {
    name: 'S3_ENDPOINT',
    doc: 'S3-compatible object storage (MinIO); needs S3_ACCESS_KEY and S3_SECRET_KEY. Unset: a folder in DATA_DIR.',
    commentedExample: 'http://localhost:9000',
    parse: (raw: string | undefined, env: Env): S3Config | undefined => {
      const set = S3_PARTS.filter((name) => (env[name] ?? '') !== '');
      if (set.length === 0) return undefined;
      const missing = S3_PARTS.filter((name) => !set.includes(name));
      if (missing.length > 0) {
        throw new ConfigError(`${missing.join(' and ')} must be set when ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set`, {
          variable: missing[0] ?? 'S3_ENDPOINT',
        });
      }
      const endpoint = new URL(optionalUrl('S3_ENDPOINT', ['http:', 'https:'])(raw) as string);
      return {
        endpoint,
        accessKey: env.S3_ACCESS_KEY as string,
        secretKey: env.S3_SECRET_KEY as string,
        bucket: text(
          'S3_BUCKET',
          'petamigos',
          /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
          'a bucket name (3 to 63 of a-z, 0-9, ".", "-")',
        )(env.S3_BUCKET),
        region: text('S3_REGION', 'us-east-1')(env.S3_REGION),
      };
    },
  },
  s3AccessKey: { name: 'S3_ACCESS_KEY', doc: 'Access key for S3_ENDPOINT.', commentedExample: 'minio-access-key', parse: () => undefined },
  s3SecretKey: { name: 'S3_SECRET_KEY', doc: 'Secret key for S3_ENDPOINT.', commentedExample: 'minio-secret-key', parse: () => undefined },
  s3Bucket: {
    name: 'S3_BUCKET',
    doc: 'Bucket for media objects (created at start if missing).',
    example: 'petamigos',
    parse: () => undefined,
  },
  s3Region: { name: 'S3_REGION', doc: 'Region sent to S3.', example: 'us-east-1', parse: () => undefined },
  clientDir: {
    name: 'CLIENT_DIR',
    doc: 'Folder of the built web client served at /.',
    example: './client/dist',
    parse: text('CLIENT_DIR', './client/dist'),
  },
  logLevel: {
    name: 'LOG_LEVEL',
    doc: `Log level: ${LOG_LEVELS.join(', ')}.`,
    example: 'info',
    parse: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  },
  logFormat: {
    name: 'LOG_FORMAT',
    doc: 'json (one JSON object a line) or pretty (colourised, for a terminal). Unset: pretty on a terminal, json otherwise.',
    commentedExample: 'json',
    parse: (raw: string | undefined): 'json' | 'pretty' =>
      oneOf('LOG_FORMAT', ['json', 'pretty'] as const, process.stdout.isTTY ? 'pretty' : 'json')(raw),
  },
  healthTimeoutMs: {
    name: 'HEALTH_TIMEOUT_MS',
    doc: 'How long /health waits for each dependency before calling it down.',
    example: '2000',
    parse: integer('HEALTH_TIMEOUT_MS', 50, 60_000, 2000),
  },
  shutdownTimeoutMs: {
    name: 'SHUTDOWN_TIMEOUT_MS',
    doc: 'How long a stopping node waits for work in progress before it exits.',
    example: '10000',
    parse: integer('SHUTDOWN_TIMEOUT_MS', 0, 600_000, 10_000),
  },
  wsCallsPerSecond: {
    name: 'WS_CALLS_PER_SECOND',
    doc: 'Sustained WebSocket calls per second allowed to one socket (announced in the welcome).',
    example: '50',
    parse: integer('WS_CALLS_PER_SECOND', 1, 1_000_000, 50),
  },
  wsCallBurst: {
    name: 'WS_CALL_BURST',
    doc: 'WebSocket calls one socket may make in a burst above the sustained rate.',
    example: '100',
    parse: integer('WS_CALL_BURST', 1, 1_000_000, 100),
  },
  wsSocketsPerUser: {
    name: 'WS_SOCKETS_PER_USER',
    doc: "WebSocket connections one user may have open at once, over every node; a socket beyond it is closed with TOO_MANY_SOCKETS (4010) and the user's older sockets stay.",
    example: '20',
    parse: integer('WS_SOCKETS_PER_USER', 1, 10_000, 20),
  },
  wsUserCallsPerSecond: {
    name: 'WS_USER_CALLS_PER_SECOND',
    doc: 'WebSocket calls one user may make per second over all their sockets and nodes (a token bucket in the cache holding one second of calls; RATE_LIMITED beyond).',
    example: '100',
    parse: integer('WS_USER_CALLS_PER_SECOND', 1, 1_000_000, 100),
  },
  wsPendingSocketsPerAddress: {
    name: 'WS_PENDING_SOCKETS_PER_ADDRESS',
    doc: 'WebSocket connections from one client address that may wait for their hello at once on a node; more get HTTP 429.',
    example: '20',
    parse: integer('WS_PENDING_SOCKETS_PER_ADDRESS', 1, 100_000, 20),
  },
  actorLeaseTtlMs: {
    name: 'ACTOR_LEASE_TTL_MS',
    doc: "How long a node's actor leases live without its renewal (one write per node every third of it): the longest a dead node's actors stay unreachable when the other nodes could not fence it (they do when they miss three of its heartbeats, about 3 s).",
    example: '10000',
    parse: integer('ACTOR_LEASE_TTL_MS', 1000, 600_000, 10_000),
  },
  actorIdleMs: {
    name: 'ACTOR_IDLE_MS',
    doc: 'How long an actor stays in memory without messages before it is passivated.',
    example: '300000',
    parse: integer('ACTOR_IDLE_MS', 1000, 86_400_000, 300_000),
  },
  natsMonitorUrl: {
    name: 'NATS_MONITOR_URL',
    doc: "The NATS server's monitoring port, for `npm run monitor` to show the server's own figures.",
    commentedExample: 'http://localhost:8222',
    parse: optionalUrl('NATS_MONITOR_URL', ['http:', 'https:']),
  },
  metricsToken: {
    name: 'METRICS_TOKEN',
    doc: 'Bearer token a Prometheus scraper sends for /metrics (at least 32 characters). Unset: /metrics answers only requests made on this host (loopback), not through a TRUST_PROXY proxy.',
    commentedExample: 'replace-with-at-least-32-random-characters',
    parse: optionalText('METRICS_TOKEN', /^[\x21-\x7e]{32,}$/, 'at least 32 printable ASCII characters, no spaces'),
  },
  opsGc: {
    name: 'OPS_GC',
    doc: 'For memory benchmarks: "on" lets anyone on the cluster\'s NATS make this node run a full garbage collection (a pause) through the ops service. Leave "off" in production.',
    example: 'off',
    parse: (raw: string | undefined) => oneOf('OPS_GC', ['off', 'on'] as const, 'off')(raw) === 'on',
  },
  friendRequestsPerHour: {
    name: 'FRIEND_REQUESTS_PER_HOUR',
    doc: 'Friend requests one user may send per hour (a spam brake; RATE_LIMITED beyond).',
    example: '60',
    parse: integer('FRIEND_REQUESTS_PER_HOUR', 1, 100_000, 60),
  },
  chatMessagesPerMinute: {
    name: 'CHAT_MESSAGES_PER_MINUTE',
    doc: 'Messages one user may send per minute, over all conversations (a flood brake; RATE_LIMITED beyond). Retries of a stored message do not count. Exact on one node; sends through several nodes at once may pass it by what they send within one cache round trip.',
    example: '120',
    parse: integer('CHAT_MESSAGES_PER_MINUTE', 1, 1_000_000, 120),
  },
  callRingSeconds: {
    name: 'CALL_RING_SECONDS',
    doc: 'How long a call rings its callees before they stop ringing (missed): a one-to-one call nobody answered then ends `missed`, a group call goes on. The deadline is stored with the call, so it fires even if the node holding the call died.',
    example: '30',
    parse: integer('CALL_RING_SECONDS', 1, 600, 30),
  },
  callRingsPerHour: {
    name: 'CALL_RINGS_PER_HOUR',
    doc: 'How many times one person may be rung in an hour, whoever calls: beyond it a group call does not ring them (they may still join), and a one-to-one call to them is refused RATE_LIMITED. Counted per callee across every caller, next to CALLS_PER_HOUR per caller.',
    example: '60',
    parse: integer('CALL_RINGS_PER_HOUR', 1, 100_000, 60),
  },
  callJoinsPerMinute: {
    name: 'CALL_JOINS_PER_MINUTE',
    doc: 'How many times one person may join or answer one call (calls.join, calls.accept, from any of their devices) in a minute: beyond it RATE_LIMITED and nothing changes. Bounds join and leave loops, each of which tells everyone in the call. A device taking its place back after a reconnect counts too.',
    example: '20',
    parse: integer('CALL_JOINS_PER_MINUTE', 1, 10_000, 20),
  },
  callRingMembers: {
    name: 'CALL_RING_MEMBERS',
    doc: 'How many members of a group a call rings at most: those who read the conversation most recently. The others are not rung but may join it while it lasts (calls.join). Bounds what one call costs in a large group.',
    example: '32',
    parse: integer('CALL_RING_MEMBERS', 1, 1024, 32),
  },
  callReconnectSeconds: {
    name: 'CALL_RECONNECT_SECONDS',
    doc: 'How long someone whose device in a call went away (its socket closed, or its node died) stays in the call: coming back from any device within it (calls.accept or calls.join) takes their place again; after it they leave (a one-to-one call ends). The deadline is stored with the call.',
    example: '30',
    parse: integer('CALL_RECONNECT_SECONDS', 1, 3600, 30),
  },
  callMaxSeconds: {
    name: 'CALL_MAX_SECONDS',
    doc: 'How long a call may last from its answer: it then ends `completed` (a backstop for calls whose people vanished without their devices being seen to go).',
    example: '43200',
    parse: integer('CALL_MAX_SECONDS', 1, 7 * 86_400, 43_200),
  },
  callsPerHour: {
    name: 'CALLS_PER_HOUR',
    doc: 'Calls one user may start per hour, over all conversations (RATE_LIMITED beyond); a retry of a start (same clientId) does not count.',
    example: '30',
    parse: integer('CALLS_PER_HOUR', 1, 100_000, 30),
  },
  locationChangesPerDay: {
    name: 'LOCATION_CHANGES_PER_DAY',
    doc: 'Times one user may set a new location per 24 hours (RATE_LIMITED beyond; removing it is always allowed), so nobody can walk their own point around to locate others.',
    example: '5',
    parse: integer('LOCATION_CHANGES_PER_DAY', 1, 1000, 5),
  },
  reportsPerHour: {
    name: 'REPORTS_PER_HOUR',
    doc: 'Reports (of posts, comments and people) one user may send per hour (RATE_LIMITED beyond), so nobody floods the moderators.',
    example: '30',
    parse: integer('REPORTS_PER_HOUR', 1, 100_000, 30),
  },
  geocoderUrl: {
    name: 'GEOCODER_URL',
    doc: "A geocoder speaking Nominatim's HTTP API, which turns place names into points and points into names (places.search, places.reverse). The public OpenStreetMap instance by default: its usage policy allows about one request a second for a whole deployment, so a busy one runs its own Nominatim. `off` turns place lookups off (they answer DEPENDENCY_UNAVAILABLE; people can still save a location from their device).",
    example: 'https://nominatim.openstreetmap.org',
    parse: (raw: string | undefined): URL | undefined => {
      if (raw?.trim() === 'off') return undefined;
      return new URL(optionalUrl('GEOCODER_URL', ['http:', 'https:'])(raw) ?? 'https://nominatim.openstreetmap.org');
    },
  },
  geocoderUserAgent: {
    name: 'GEOCODER_USER_AGENT',
    doc: "The User-Agent of requests to the geocoder: Nominatim's usage policy asks that it name the application and a contact.",
    example: 'PetAmigos (+https://petamigos.example; ops@petamigos.example)',
    parse: text('GEOCODER_USER_AGENT', 'PetAmigos (self-hosted; https://github.com/petamigos)'),
  },
  geocoderRequestsPerSecond: {
    name: 'GEOCODER_REQUESTS_PER_SECOND',
    doc: 'Requests the whole deployment sends the geocoder per second (answers from the cache do not count; a burst of twice as many is allowed). Past it a lookup that would need the geocoder is RATE_LIMITED. The public OpenStreetMap instance asks for at most 1; raise it for your own Nominatim.',
    example: '1',
    parse: integer('GEOCODER_REQUESTS_PER_SECOND', 1, 10_000, 1),
  },
  placeLookupsPerMinute: {
    name: 'PLACE_LOOKUPS_PER_MINUTE',
    doc: 'Place searches and reverse lookups one user may make per minute (RATE_LIMITED beyond); cached answers count too.',
    example: '30',
    parse: integer('PLACE_LOOKUPS_PER_MINUTE', 1, 10_000, 30),
  },
  savedPostsMax: {
    name: 'SAVED_POSTS_MAX',
    doc: 'Posts one user may keep saved (posts.save; TOO_MANY_SAVED_POSTS beyond). Saved posts the user can no longer see are forgotten first to make room.',
    example: '5000',
    parse: integer('SAVED_POSTS_MAX', 1, 1_000_000, 5000),
  },
  storyLifetimeMs: {
    name: 'STORY_LIFETIME_MS',
    doc: 'How long a story stays in trays and viewers after it is posted, in ms (a day). Shorter only for tests and demos.',
    example: '86400000',
    parse: integer('STORY_LIFETIME_MS', 1000, 7 * 86_400_000, 86_400_000),
  },
  storiesPerDay: {
    name: 'STORIES_PER_DAY',
    doc: 'Stories one user may post per 24 hours, each clip of a split video counted (stories.create; RATE_LIMITED beyond).',
    example: '100',
    parse: integer('STORIES_PER_DAY', 1, 100_000, 100),
  },
  storyCleanupEveryMs: {
    name: 'STORY_CLEANUP_EVERY_MS',
    doc: "How often expired stories are deleted with their media, in ms (an hour), unless kept in a highlight or the author's archive. One node runs each round; a round a node died in is run again by another after STORY_CLEANUP_EVERY_MS / 4 (at most 15 minutes).",
    example: '3600000',
    parse: integer('STORY_CLEANUP_EVERY_MS', 1000, 7 * 86_400_000, 3_600_000),
  },
  reelVectorsEveryMs: {
    name: 'REEL_VECTORS_EVERY_MS',
    doc: "How often the reels' collaborative vectors are learned again from the last 30 days of watching, liking, sharing and turning down (in ms; 10 minutes). One node runs each round, in a worker thread; a round a node died in is run again by another after REEL_VECTORS_EVERY_MS / 4.",
    example: '600000',
    parse: integer('REEL_VECTORS_EVERY_MS', 1000, 7 * 86_400_000, 600_000),
  },
  reelsModelDir: {
    name: 'REELS_MODEL_DIR',
    doc: "A sentence-embedding model for reel captions: a transformers.js folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx or onnx/model.onnx), such as Xenova/all-MiniLM-L6-v2 downloaded at deploy time; it is read from this folder only, never downloaded. Empty: a lexical embedding of the caption's words (server/reels/vectors.ts). A folder that is missing or does not load stops the node at start (CONFIG_INVALID). Every node of a cluster should use the same; after a change, REEL_CAPTIONS_EVERY_MS re-embeds the reels, and until then a caption vector of the other embedder counts as none.",
    example: '',
    parse: (raw: string | undefined) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()),
  },
  reelCaptionsEveryMs: {
    name: 'REEL_CAPTIONS_EVERY_MS',
    doc: 'How often reels whose caption vector was made by another embedder than REELS_MODEL_DIR gives (or none) are re-embedded, newest first, in ms (a minute). One node runs each round, for at most an eighth of this period.',
    example: '60000',
    parse: integer('REEL_CAPTIONS_EVERY_MS', 1000, 7 * 86_400_000, 60_000),
  },
  mailNotificationsPerHour: {
    name: 'MAIL_NOTIFICATIONS_PER_HOUR',
    doc: 'Notification mails one address gets per hour; the notifications beyond wait for the next digest mail.',
    example: '5',
    parse: integer('MAIL_NOTIFICATIONS_PER_HOUR', 1, 1000, 5),
  },
  mailDigestEveryMs: {
    name: 'MAIL_DIGEST_EVERY_MS',
    doc: 'How often the digest of notifications held back by MAIL_NOTIFICATIONS_PER_HOUR is mailed (one node at a time sends it).',
    example: '3600000',
    parse: integer('MAIL_DIGEST_EVERY_MS', 1000, 86_400_000, 3_600_000),
  },
  mediaWorkers: {
    name: 'MEDIA_WORKERS',
    doc: 'Media jobs (image resizes, video transcodes) one node with the media role runs at once.',
    example: '1',
    parse: integer('MEDIA_WORKERS', 1, 64, 1),
  },
  mediaJobAttempts: {
    name: 'MEDIA_JOB_ATTEMPTS',
    doc: 'Tries of a media job before it is FAILED (retries wait 1 s, 4 s, 16 s, …); a file that cannot be decoded fails at once.',
    example: '4',
    parse: integer('MEDIA_JOB_ATTEMPTS', 1, 20, 4),
  },
  mediaJobAckWaitMs: {
    name: 'MEDIA_JOB_ACK_WAIT_MS',
    doc: 'How long a media job may go without a heartbeat from its worker before another node takes it over (a worker that died).',
    example: '60000',
    parse: integer('MEDIA_JOB_ACK_WAIT_MS', 1000, 3_600_000, 60_000),
  },
  mediaWatermark: {
    name: 'MEDIA_WATERMARK',
    doc: 'Text drawn in a corner of medium and large image renditions; empty for none.',
    example: '',
    parse: text('MEDIA_WATERMARK', '', /^\P{Cc}{0,40}$/u, 'up to 40 characters without control characters'),
  },
  mediaImageMaxPixels: {
    name: 'MEDIA_IMAGE_MAX_PIXELS',
    doc: 'Most pixels (width × height, from the header, before decoding) an uploaded image may have; TOO_MANY_PIXELS beyond. 50 MP takes the 48–50 MP photos of current phone cameras; decoded, that is ~200 MB of memory.',
    example: '50000000',
    parse: integer('MEDIA_IMAGE_MAX_PIXELS', 1, 268_402_689, 50_000_000),
  },
  mediaVideoMaxDurationMs: {
    name: 'MEDIA_VIDEO_MAX_DURATION_MS',
    doc: 'Longest video (and reel) accepted, checked on the probed duration before transcoding; longer ones end FAILED. The transcoder never reads past it either.',
    example: '600000',
    parse: integer('MEDIA_VIDEO_MAX_DURATION_MS', 1000, 14_400_000, 600_000),
  },
  mediaProbeTimeoutMs: {
    name: 'MEDIA_PROBE_TIMEOUT_MS',
    doc: 'Time limit of one ffprobe run (and of measuring a video whose container has no duration); the process is killed and the media ends FAILED.',
    example: '30000',
    parse: integer('MEDIA_PROBE_TIMEOUT_MS', 1, 3_600_000, 30_000),
  },
  mediaTranscodeTimeoutMs: {
    name: 'MEDIA_TRANSCODE_TIMEOUT_MS',
    doc: 'Time limit of one ffmpeg run (a video ladder, a thumbnail, one voice rendition); the process is killed and the media ends FAILED without retry (the same file would take as long again).',
    example: '1800000',
    parse: integer('MEDIA_TRANSCODE_TIMEOUT_MS', 1, 86_400_000, 1_800_000),
  },
  mediaUploadsPerUser: {
    name: 'MEDIA_UPLOADS_PER_USER',
    doc: 'Unfinished uploads (started, not completed) one user may have at once; TOO_MANY_UPLOADS beyond. 10: the media of one post, sent in parallel.',
    example: '10',
    parse: integer('MEDIA_UPLOADS_PER_USER', 1, 1000, 10),
  },
  mediaJobsPerUser: {
    name: 'MEDIA_JOBS_PER_USER',
    doc: 'Media of one user being processed at once; completing another answers TOO_MANY_UPLOADS (the upload stays; complete it again later). 10: the media of one post.',
    example: '10',
    parse: integer('MEDIA_JOBS_PER_USER', 1, 1000, 10),
  },
  mediaQuotaBytes: {
    name: 'MEDIA_QUOTA_BYTES',
    doc: 'Bytes of stored media per user (renditions of ready media, originals of unfinished ones); an upload that would go past it is refused with QUOTA_EXCEEDED before anything is stored. Default 5 GiB.',
    example: '5368709120',
    parse: integer('MEDIA_QUOTA_BYTES', 1, Number.MAX_SAFE_INTEGER, 5 * 1024 ** 3),
  },
  sfuWorkerBin: {
    name: 'MEDIASOUP_WORKER_BIN',
    doc: 'The mediasoup worker binary a node with the sfu role runs for calls and live. Unset: the one `node scripts/sfu-worker.mjs` (part of `npm start` and `npm test`) keeps in PETAMIGOS_CACHE_DIR for the installed mediasoup. Without a worker the node runs, with calls and live unavailable.',
    commentedExample: '/opt/petamigos/mediasoup-worker',
    parse: optionalText('MEDIASOUP_WORKER_BIN'),
  },
  cacheDir: {
    name: 'PETAMIGOS_CACHE_DIR',
    doc: 'Where scripts/sfu-worker.mjs keeps the mediasoup worker it downloads or builds (file mediasoup-worker-<version>-<platform>-<arch>), outside the work tree. Unset: $XDG_CACHE_HOME/petamigos, else ~/.cache/petamigos.',
    commentedExample: '/var/cache/petamigos',
    // The same rule as scripts/sfu-worker.mjs (sfu/worker.test.ts keeps the two equal).
    parse: (raw: string | undefined, env: Env): string => raw || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'petamigos'),
  },
  sfuWorkers: {
    name: 'SFU_WORKERS',
    doc: 'mediasoup workers (one process and about one core each) a node with the sfu role runs. Unset: one per core (os.availableParallelism()).',
    commentedExample: '4',
    parse: integer('SFU_WORKERS', 1, 1024, availableParallelism()),
  },
  sfuRtcMinPort: {
    name: 'SFU_RTC_MIN_PORT',
    doc: 'The lowest port (UDP and TCP) the mediasoup workers give WebRTC transports; the range up to SFU_RTC_MAX_PORT must be open to clients.',
    example: '40000',
    parse: integer('SFU_RTC_MIN_PORT', 1024, 65535, 40_000),
  },
  sfuRtcMaxPort: {
    name: 'SFU_RTC_MAX_PORT',
    doc: 'The highest port the mediasoup workers give WebRTC transports (at least SFU_RTC_MIN_PORT; each transport takes a port of the range).',
    example: '49999',
    parse: integer('SFU_RTC_MAX_PORT', 1024, 65535, 49_999),
  },
  sfuListenIp: {
    name: 'SFU_LISTEN_IP',
    doc: 'The address the mediasoup workers listen on for WebRTC (UDP and TCP). 0.0.0.0 or :: needs SFU_ANNOUNCED_IP.',
    example: '127.0.0.1',
    parse: text('SFU_LISTEN_IP', '127.0.0.1'),
  },
  sfuAnnouncedIp: {
    name: 'SFU_ANNOUNCED_IP',
    doc: "The address clients reach the SFU at, put in the transports' ICE candidates instead of SFU_LISTEN_IP (the public address of a node behind NAT or listening on 0.0.0.0). Unset: SFU_LISTEN_IP.",
    commentedExample: '203.0.113.10',
    parse: optionalText('SFU_ANNOUNCED_IP'),
  },
  iceUrls: {
    name: 'ICE_SERVERS',
    doc: 'STUN and TURN servers handed to clients for calls and live, comma-separated `stun:`, `turn:` or `turns:` URLs (coturn in docker-compose.yml). TURN URLs need TURN_SECRET. Unset: none (clients reach the SFU directly).',
    commentedExample: 'stun:turn.example.com:3478,turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349',
    parse: (raw: string | undefined): string[] => {
      if (raw === undefined || raw.trim() === '') return [];
      const urls = raw.split(',').map((part) => part.trim());
      for (const url of urls)
        if (!/^(stun|turns?):[A-Za-z0-9.-]+(:\d{1,5})?(\?transport=(udp|tcp))?$/.test(url))
          throw new ConfigError(`ICE_SERVERS: ${url} is not a stun:, turn: or turns: URL (host[:port][?transport=udp|tcp])`, {
            variable: 'ICE_SERVERS',
          });
      return urls;
    },
  },
  turnSecret: {
    name: 'TURN_SECRET',
    doc: "The secret shared with the TURN server (coturn's `static-auth-secret` with `use-auth-secret`): each client gets a username `<expiry>:<user id>` and its HMAC-SHA1 as the password, valid TURN_CREDENTIAL_TTL_SECONDS. At least 16 characters.",
    commentedExample: 'a-long-random-secret-shared-with-coturn',
    parse: optionalText('TURN_SECRET'),
  },
  turnCredentialTtlSeconds: {
    name: 'TURN_CREDENTIAL_TTL_SECONDS',
    doc: 'How long the TURN credentials handed to a client stay valid (the TURN server refuses new allocations after; a call in progress keeps its relay).',
    example: '3600',
    parse: integer('TURN_CREDENTIAL_TTL_SECONDS', 60, 86_400, 3600),
  },
  webPushVapidKeys: {
    name: 'WEB_PUSH_VAPID_KEYS',
    doc: 'VAPID key pair for web push, <public>:<private> (base64url, as `npx web-push generate-vapid-keys` prints). Unset: generated once and kept in the database.',
    commentedExample: 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U:<private-key>',
    parse: (raw: string | undefined) => {
      if (raw === undefined || raw === '') return undefined;
      const match = /^([A-Za-z0-9_-]{87}):([A-Za-z0-9_-]{43})$/.exec(raw);
      if (match === null) throw expected('WEB_PUSH_VAPID_KEYS', '<public>:<private> in base64url (87 and 43 characters)', raw);
      return { publicKey: match[1] as string, privateKey: match[2] as string };
    },
  },
  webPushSubject: {
    name: 'WEB_PUSH_SUBJECT',
    doc: 'How push services can reach the operator (a mailto: or https: URL), sent with every push.',
    example: 'mailto:support@petamigos.example',
    parse: text('WEB_PUSH_SUBJECT', 'mailto:support@petamigos.example', /^(mailto:.+@.+|https:\/\/.+)$/, 'a mailto: or https: URL'),
  },
  webPushAllowedHosts: {
    name: 'WEB_PUSH_ALLOWED_HOSTS',
    doc: 'Comma-separated hosts (host or host:port, "*." for subdomains) that push subscriptions may point at. Plain http is accepted only for localhost and 127.0.0.1 entries (tests).',
    example: PUSH_SERVICE_HOSTS.join(','),
    parse: (raw: string | undefined) => {
      if (raw === undefined || raw.trim() === '') return PUSH_SERVICE_HOSTS;
      const hosts = raw.split(',').map((host) => host.trim().toLowerCase());
      for (const host of hosts)
        if (!/^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/.test(host)) throw expected('WEB_PUSH_ALLOWED_HOSTS', 'host names, comma-separated', raw);
      return hosts;
    },
  },
  paypalClientId: {
    name: 'PAYPAL_CLIENT_ID',
    doc: 'PayPal REST app client id (sandbox or live, as PAYPAL_API_URL says). Unset: PayPal is not offered. Needs PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID.',
    commentedExample: 'AYourSandboxClientId',
    parse: optionalText('PAYPAL_CLIENT_ID'),
  },
  paypalClientSecret: {
    name: 'PAYPAL_CLIENT_SECRET',
    doc: 'PayPal REST app secret.',
    commentedExample: 'your-sandbox-secret',
    parse: optionalText('PAYPAL_CLIENT_SECRET'),
  },
  paypalWebhookId: {
    name: 'PAYPAL_WEBHOOK_ID',
    doc: 'The id PayPal gave the webhook pointing at <APP_URL>/webhooks/paypal: every event is verified against it with PayPal before anything changes.',
    commentedExample: '1AB23456CD789012E',
    parse: optionalText('PAYPAL_WEBHOOK_ID'),
  },
  paypalApiUrl: {
    name: 'PAYPAL_API_URL',
    doc: "PayPal's REST API: the sandbox by default; https://api-m.paypal.com for real money.",
    example: 'https://api-m.sandbox.paypal.com',
    parse: (raw: string | undefined) =>
      (optionalUrl('PAYPAL_API_URL', ['https:', 'http:'])(raw) ?? 'https://api-m.sandbox.paypal.com').replace(/\/+$/, ''),
  },
  mercadoPagoAccessToken: {
    name: 'MERCADOPAGO_ACCESS_TOKEN',
    doc: 'Mercado Pago access token (a TEST- token is the sandbox). Unset: Mercado Pago is not offered. Needs MERCADOPAGO_WEBHOOK_SECRET.',
    commentedExample: 'TEST-0000000000000000-000000-00000000000000000000000000000000-000000000',
    parse: optionalText('MERCADOPAGO_ACCESS_TOKEN'),
  },
  mercadoPagoWebhookSecret: {
    name: 'MERCADOPAGO_WEBHOOK_SECRET',
    doc: "The application's secret signature for webhooks (Your integrations → Webhooks): every notification to <APP_URL>/webhooks/mercadopago must carry its x-signature.",
    commentedExample: 'your-webhook-secret',
    parse: optionalText('MERCADOPAGO_WEBHOOK_SECRET'),
  },
  mercadoPagoApiUrl: {
    name: 'MERCADOPAGO_API_URL',
    doc: "Mercado Pago's REST API (the same for sandbox and live: the token decides).",
    example: 'https://api.mercadopago.com',
    parse: (raw: string | undefined) =>
      (optionalUrl('MERCADOPAGO_API_URL', ['https:', 'http:'])(raw) ?? 'https://api.mercadopago.com').replace(/\/+$/, ''),
  },
  paymentsReconcileEveryMs: {
    name: 'PAYMENTS_RECONCILE_EVERY_MS',
    doc: 'How often payments still waiting (15 minutes after checkout) are asked of their providers, catching missed webhooks and approved orders nobody captured, and lapsed ones are failed, in ms (an hour). One node runs each round.',
    example: '3600000',
    parse: integer('PAYMENTS_RECONCILE_EVERY_MS', 1000, 86_400_000, 3_600_000),
  },
  speiClabePrefix: {
    name: 'SPEI_CLABE_PREFIX',
    doc: 'The first 10 digits of the CLABEs of the account SPEI transfers are received in (bank 3, plaza 3, account 4: what the SPEI provider assigns). Each payment gets its own CLABE: these digits, its 7-digit reference and the check digit. Unset: SPEI is not offered.',
    commentedExample: '6461801570',
    parse: optionalText('SPEI_CLABE_PREFIX', /^\d{10}$/, '10 digits'),
  },
  speiBeneficiary: {
    name: 'SPEI_BENEFICIARY',
    doc: 'The beneficiary name SPEI instructions show.',
    example: 'PetAmigos',
    parse: text('SPEI_BENEFICIARY', 'PetAmigos'),
  },
  speiBankName: {
    name: 'SPEI_BANK_NAME',
    doc: 'The receiving bank SPEI instructions show.',
    example: 'STP',
    parse: text('SPEI_BANK_NAME', 'STP'),
  },
  speiWebhookSecret: {
    name: 'SPEI_WEBHOOK_SECRET',
    doc: "The SPEI provider's webhook secret (Openpay / Conekta style: X-Signature: sha256=<HMAC-SHA256 of the body>). Unset: transfers are confirmed by an admin (POST /admin/payments/:id/spei).",
    commentedExample: 'your-spei-webhook-secret',
    parse: optionalText('SPEI_WEBHOOK_SECRET'),
  },
  speiExpiresHours: {
    name: 'SPEI_EXPIRES_HOURS',
    doc: 'How long SPEI instructions stand, in hours (a transfer takes minutes, but people pay later).',
    example: '72',
    parse: integer('SPEI_EXPIRES_HOURS', 1, 720, 72),
  },
  billingSellerName: {
    name: 'BILLING_SELLER_NAME',
    doc: 'The seller receipts name (the business that takes the payments).',
    example: 'PetAmigos',
    parse: text('BILLING_SELLER_NAME', 'PetAmigos'),
  },
  billingSellerAddress: {
    name: 'BILLING_SELLER_ADDRESS',
    doc: "The seller's address on receipts, its lines separated by `|` (and a tax id if the law asks for one). Unset: receipts show the name alone.",
    commentedExample: 'Av. Paseo de la Reforma 222|06600 Ciudad de México, CDMX|RFC PAM260101AB1',
    parse: text('BILLING_SELLER_ADDRESS', ''),
  },
  chatwootBaseUrl: {
    name: 'CHATWOOT_BASE_URL',
    doc: "Chatwoot, where people's support conversations go and agents answer them (e.g. https://app.chatwoot.com). Unset: no helpdesk; support.send answers SUPPORT_UNAVAILABLE. Needs CHATWOOT_ACCOUNT_ID, CHATWOOT_INBOX_ID, CHATWOOT_API_TOKEN and CHATWOOT_WEBHOOK_SECRET.",
    commentedExample: 'https://app.chatwoot.com',
    parse: (raw: string | undefined) => optionalUrl('CHATWOOT_BASE_URL', ['https:', 'http:'])(raw)?.replace(/\/+$/, ''),
  },
  chatwootAccountId: {
    name: 'CHATWOOT_ACCOUNT_ID',
    doc: 'The Chatwoot account (the number in /app/accounts/<id>/).',
    commentedExample: '1',
    parse: optionalText('CHATWOOT_ACCOUNT_ID', /^[1-9]\d{0,9}$/, 'a positive integer'),
  },
  chatwootInboxId: {
    name: 'CHATWOOT_INBOX_ID',
    doc: 'The id of the API channel inbox support conversations open in.',
    commentedExample: '1',
    parse: optionalText('CHATWOOT_INBOX_ID', /^[1-9]\d{0,9}$/, 'a positive integer'),
  },
  chatwootApiToken: {
    name: 'CHATWOOT_API_TOKEN',
    doc: 'An access token of a Chatwoot agent or agent bot of that account (Profile settings → Access token), sent as the api_access_token header.',
    commentedExample: 'your-chatwoot-access-token',
    parse: optionalText('CHATWOOT_API_TOKEN'),
  },
  chatwootWebhookSecret: {
    name: 'CHATWOOT_WEBHOOK_SECRET',
    doc: 'The secret of the Chatwoot webhook pointing at <APP_URL>/webhooks/chatwoot (events message_created and conversation_status_changed): every delivery must carry X-Chatwoot-Signature, its HMAC-SHA256 of `<X-Chatwoot-Timestamp>.<body>`, and be at most 5 minutes old.',
    commentedExample: 'your-chatwoot-webhook-secret',
    parse: optionalText('CHATWOOT_WEBHOOK_SECRET'),
  },
} satisfies Record<string, Variable<unknown>>;

function sfuConfig(v: Parsed): SfuConfig {
  if (v.sfuRtcMinPort > v.sfuRtcMaxPort)
    throw new ConfigError(`SFU_RTC_MIN_PORT (${v.sfuRtcMinPort}) must not be above SFU_RTC_MAX_PORT (${v.sfuRtcMaxPort})`, {
      variable: 'SFU_RTC_MIN_PORT',
    });
  if ((v.sfuListenIp === '0.0.0.0' || v.sfuListenIp === '::') && v.sfuAnnouncedIp === undefined)
    throw new ConfigError(`SFU_LISTEN_IP ${v.sfuListenIp} needs SFU_ANNOUNCED_IP: clients cannot reach a wildcard address`, {
      variable: 'SFU_ANNOUNCED_IP',
    });
  const turnUrls = v.iceUrls.filter((url) => url.startsWith('turn'));
  if (turnUrls.length > 0 && (v.turnSecret === undefined || v.turnSecret.length < 16))
    throw new ConfigError('ICE_SERVERS has TURN URLs: TURN_SECRET (at least 16 characters) must be set', { variable: 'TURN_SECRET' });
  return {
    workerBin: v.sfuWorkerBin,
    cacheDir: v.cacheDir,
    workers: v.sfuWorkers,
    rtcMinPort: v.sfuRtcMinPort,
    rtcMaxPort: v.sfuRtcMaxPort,
    listenIp: v.sfuListenIp,
    announcedIp: v.sfuAnnouncedIp,
    ice: {
      stunUrls: v.iceUrls.filter((url) => url.startsWith('stun:')),
      turnUrls,
      turnSecret: turnUrls.length > 0 ? v.turnSecret : undefined,
      credentialTtlSeconds: v.turnCredentialTtlSeconds,
    },
  };
}

function speiConfig(v: Parsed): PaymentsConfig['spei'] {
  if (v.speiClabePrefix === undefined) return undefined;
  return {
    clabePrefix: v.speiClabePrefix,
    beneficiary: v.speiBeneficiary,
    bankName: v.speiBankName,
    webhookSecret: v.speiWebhookSecret,
    expiresMs: v.speiExpiresHours * 3_600_000,
  };
}

/** Mercado Pago's settings, all or none. */
function mercadoPagoConfig(v: Parsed): PaymentsConfig['mercadoPago'] {
  if (v.mercadoPagoAccessToken === undefined) return undefined;
  if (v.mercadoPagoWebhookSecret === undefined)
    throw new ConfigError('MERCADOPAGO_WEBHOOK_SECRET must be set when MERCADOPAGO_ACCESS_TOKEN is set', {
      variable: 'MERCADOPAGO_WEBHOOK_SECRET',
    });
  return { accessToken: v.mercadoPagoAccessToken, webhookSecret: v.mercadoPagoWebhookSecret, apiUrl: v.mercadoPagoApiUrl };
}

/** Chatwoot's settings, all or none. */
function chatwootConfig(v: Parsed): ChatwootConfig | undefined {
  if (v.chatwootBaseUrl === undefined) return undefined;
  for (const [name, value] of [
    ['CHATWOOT_ACCOUNT_ID', v.chatwootAccountId],
    ['CHATWOOT_INBOX_ID', v.chatwootInboxId],
    ['CHATWOOT_API_TOKEN', v.chatwootApiToken],
    ['CHATWOOT_WEBHOOK_SECRET', v.chatwootWebhookSecret],
  ] as const)
    if (value === undefined) throw new ConfigError(`${name} must be set when CHATWOOT_BASE_URL is set`, { variable: name });
  return {
    baseUrl: v.chatwootBaseUrl,
    accountId: Number(v.chatwootAccountId),
    inboxId: Number(v.chatwootInboxId),
    apiToken: v.chatwootApiToken as string,
    webhookSecret: v.chatwootWebhookSecret as string,
  };
}

/** PayPal's settings, all or none. */
function paypalConfig(v: Parsed): PaymentsConfig['paypal'] {
  if (v.paypalClientId === undefined) return undefined;
  for (const [name, value] of [
    ['PAYPAL_CLIENT_SECRET', v.paypalClientSecret],
    ['PAYPAL_WEBHOOK_ID', v.paypalWebhookId],
  ] as const)
    if (value === undefined) throw new ConfigError(`${name} must be set when PAYPAL_CLIENT_ID is set`, { variable: name });
  return {
    clientId: v.paypalClientId,
    clientSecret: v.paypalClientSecret as string,
    webhookId: v.paypalWebhookId as string,
    apiUrl: v.paypalApiUrl,
  };
}

type Parsed = { [K in keyof typeof variables]: ReturnType<(typeof variables)[K]['parse']> };

/**
 * Reads the configuration from `env`. Every invalid variable is reported (one ConfigError with
 * one line per variable), so a person fixing a deployment sees all problems at once.
 */
export function loadConfig(env: Env = process.env): Config {
  const values: Partial<Parsed> = {};
  const accountValues: Record<string, unknown> = {};
  const problems: ConfigError[] = [];
  const parse = (into: Record<string, unknown>, key: string, variable: Variable<unknown>) => {
    try {
      into[key] = variable.parse(env[variable.name], env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error);
    }
  };
  for (const [key, variable] of Object.entries(variables) as [keyof Parsed, Variable<unknown>][]) parse(values, key, variable);
  for (const [key, variable] of Object.entries(accountVariables)) parse(accountValues, key, variable);
  let accounts: AccountsConfig | undefined;
  if (problems.length === 0) {
    try {
      accounts = accountsConfig(accountValues);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new ConfigError(problems.map((problem) => problem.message).join('\n'), {
      variable: problems.map((problem) => problem.variable).join(','),
    });
  }
  const v = values as Parsed;
  return {
    port: v.port,
    host: v.host,
    nodeId: v.nodeId,
    clusterName: v.clusterName,
    roles: v.roles,
    dataDir: v.dataDir,
    databaseUrl: v.databaseUrl,
    databasePoolMax: v.databasePoolMax,
    natsUrl: v.natsUrl,
    redisUrl: v.redisUrl,
    s3: v.s3,
    clientDir: v.clientDir,
    logLevel: v.logLevel,
    logFormat: v.logFormat,
    healthTimeoutMs: v.healthTimeoutMs,
    shutdownTimeoutMs: v.shutdownTimeoutMs,
    wsCallsPerSecond: v.wsCallsPerSecond,
    wsCallBurst: v.wsCallBurst,
    wsSocketsPerUser: v.wsSocketsPerUser,
    wsUserCallsPerSecond: v.wsUserCallsPerSecond,
    wsPendingSocketsPerAddress: v.wsPendingSocketsPerAddress,
    natsMonitorUrl: v.natsMonitorUrl,
    metricsToken: v.metricsToken,
    opsGc: v.opsGc,
    actorLeaseTtlMs: v.actorLeaseTtlMs,
    actorIdleMs: v.actorIdleMs,
    friendRequestsPerHour: v.friendRequestsPerHour,
    chatMessagesPerMinute: v.chatMessagesPerMinute,
    callRingSeconds: v.callRingSeconds,
    callsPerHour: v.callsPerHour,
    callRingsPerHour: v.callRingsPerHour,
    callJoinsPerMinute: v.callJoinsPerMinute,
    callRingMembers: v.callRingMembers,
    callReconnectSeconds: v.callReconnectSeconds,
    callMaxSeconds: v.callMaxSeconds,
    locationChangesPerDay: v.locationChangesPerDay,
    reportsPerHour: v.reportsPerHour,
    places: {
      geocoderUrl: v.geocoderUrl,
      userAgent: v.geocoderUserAgent,
      lookupsPerMinute: v.placeLookupsPerMinute,
      requestsPerSecond: v.geocoderRequestsPerSecond,
    },
    savedPostsMax: v.savedPostsMax,
    stories: { lifetimeMs: v.storyLifetimeMs, perDay: v.storiesPerDay, cleanupEveryMs: v.storyCleanupEveryMs },
    reels: { vectorsEveryMs: v.reelVectorsEveryMs, modelDir: v.reelsModelDir, captionsEveryMs: v.reelCaptionsEveryMs },
    mail: { notificationsPerHour: v.mailNotificationsPerHour, digestEveryMs: v.mailDigestEveryMs },
    media: {
      workers: v.mediaWorkers,
      attempts: v.mediaJobAttempts,
      ackWaitMs: v.mediaJobAckWaitMs,
      watermark: v.mediaWatermark,
      imageMaxPixels: v.mediaImageMaxPixels,
      videoMaxDurationMs: v.mediaVideoMaxDurationMs,
      probeTimeoutMs: v.mediaProbeTimeoutMs,
      transcodeTimeoutMs: v.mediaTranscodeTimeoutMs,
      uploadsPerUser: v.mediaUploadsPerUser,
      jobsPerUser: v.mediaJobsPerUser,
      quotaBytes: v.mediaQuotaBytes,
    },
    sfu: sfuConfig(v),
    webPush: { vapidKeys: v.webPushVapidKeys, subject: v.webPushSubject, allowedHosts: v.webPushAllowedHosts },
    accounts: accounts as AccountsConfig,
    payments: {
      paypal: paypalConfig(v),
      mercadoPago: mercadoPagoConfig(v),
      spei: speiConfig(v),
      reconcileEveryMs: v.paymentsReconcileEveryMs,
      billing: {
        sellerName: v.billingSellerName,
        sellerAddress: v.billingSellerAddress
          .split('|')
          .map((line) => line.trim())
          .filter((line) => line !== ''),
      },
    },
    chatwoot: chatwootConfig(v),
  };
}

/** Every declared variable, in .env.example order. */
export function allVariables(): Variable<unknown>[] {
  return [...(Object.values(variables) as Variable<unknown>[]), ...Object.values(accountVariables)];
}

/** The text of `.env.example`, generated from `variables`. */
export function envExample(): string {
  const lines = [
    '# PetAmigos configuration. Every variable is optional: with none set, a node runs in embedded',
    '# mode (PGlite, in-process bus, in-memory counters, objects in a folder) on port 3000.',
    '# Generated from server/platform/config.ts by `bun scripts/env-example.ts`; do not edit by hand.',
    '',
  ];
  for (const variable of allVariables()) {
    lines.push(`# ${variable.doc}`);
    if (variable.example !== undefined) lines.push(`${variable.name}=${variable.example}`);
    else lines.push(`# ${variable.name}=${variable.commentedExample ?? ''}`);
    lines.push('');
  }
  return lines.join('\n');
}
