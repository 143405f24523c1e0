// No Docker engine runs where the tests run, so docker-compose.yml and the Dockerfile are read
// here against the code: every variable they set is one the configuration declares, and the
// values pass its validation; the services the nodes point at exist and are health-checked; NATS
// and Redis require credentials, and the nodes' URLs carrying them work with the real clients
// against private servers that require the same.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DependencyError } from '../server/errors.ts';
import { openBus } from '../server/platform/bus/index.ts';
import { openCache } from '../server/platform/cache/index.ts';
import { allVariables, loadConfig } from '../server/platform/config.ts';
import { testLogger } from './harness/node.ts';
import { startNatsServer, startRedisServer } from './harness/processes.ts';

const repo = new URL('../', import.meta.url).pathname;
const declared = new Set(allVariables().map((variable) => variable.name));

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = Bun.YAML.parse(readFileSync(`${repo}docker-compose.yml`, 'utf8')) as { services: Record<string, ComposeService> };
const nodes = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
const infrastructure = Object.keys(compose.services).filter((name) => compose.services[name]?.build === undefined);

/** The value a sample .env gives `name` (URL-safe, long enough for every secret). */
const sample = (name: string) => `sample-${name.toLowerCase().replaceAll('_', '-')}-0123456789abcdef0123456789`;

/** Replaces compose's `${NAME:?message}` by a sample value, as `docker compose` would with .env, and `${NAME:-default}` by its default. */
function substitute(value: string): string {
  return value.replace(
    /\$\{([A-Z_]+)(?::\?[^}]*|:-([^}]*))?\}/g,
    (_, name: string, fallback: string | undefined) => fallback ?? sample(name),
  );
}

const nodeEnv = (): Record<string, string> =>
  Object.fromEntries(Object.entries(nodes[0]?.[1].environment ?? {}).map(([key, value]) => [key, substitute(String(value))]));

describe('docker-compose.yml', () => {
  test('compose: two Bun nodes with distinct ids and ports', () => {
    expect(nodes.map(([name]) => name)).toEqual(['node-1', 'node-2']);
    expect(new Set(nodes.map(([, service]) => service.environment?.NODE_ID)).size).toBe(2);
  });

  test('compose: the nodes set only declared variables, with values the configuration accepts', () => {
    for (const [, service] of nodes) {
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, substitute(String(value))]));
      expect(Object.keys(env).filter((key) => !declared.has(key))).toEqual([]);
      const config = loadConfig(env);
      expect(config.databaseUrl).toBeDefined();
      expect(config.natsUrl).toBeDefined();
      expect(config.redisUrl).toBeDefined();
      expect(config.s3).toBeDefined();
      const hosts = [config.databaseUrl, config.natsUrl, config.redisUrl, config.s3?.endpoint.toString()].map(
        (url) => new URL(url as string).hostname,
      );
      for (const host of hosts) expect(infrastructure).toContain(host);
    }
  });

  test('compose: each node’s SFU listens on all addresses, announces PUBLIC_IP, and publishes its own RTC port range (UDP and TCP), the ranges apart', () => {
    const ranges = nodes.map(([, service]) => {
      const env = service.environment ?? {};
      expect(env.SFU_LISTEN_IP).toBe('0.0.0.0');
      // PUBLIC_IP unset: this machine only (docker compose up works without it).
      expect(substitute(String(env.SFU_ANNOUNCED_IP))).toBe('127.0.0.1');
      const config = loadConfig(Object.fromEntries(Object.entries(env).map(([key, value]) => [key, substitute(String(value))])));
      const range = `${config.sfu.rtcMinPort}-${config.sfu.rtcMaxPort}`;
      expect(service.ports).toContain(`${range}:${range}/udp`);
      expect(service.ports).toContain(`${range}:${range}/tcp`);
      return [config.sfu.rtcMinPort, config.sfu.rtcMaxPort] as const;
    });
    const [[, firstMax], [secondMin]] = ranges as [readonly [number, number], readonly [number, number]];
    expect(secondMin).toBeGreaterThan(firstMax);
  });

  test('compose: NATS with JetStream, PostgreSQL 16, Redis 7, MinIO and Meilisearch, each health-checked with a volume', () => {
    expect(compose.services.nats?.command).toContain('-js');
    expect(compose.services.postgres?.image).toBe('postgres:16');
    expect(compose.services.redis?.image).toMatch(/^redis:7/);
    expect(compose.services.minio?.image).toMatch(/^minio\/minio/);
    expect(compose.services.meilisearch?.image).toMatch(/^getmeili\/meilisearch/);
    for (const name of Object.keys(compose.services)) expect(compose.services[name]?.healthcheck?.test.length, name).toBeGreaterThan(0);
    const text = readFileSync(`${repo}docker-compose.yml`, 'utf8');
    for (const volume of ['postgres-data', 'nats-data', 'redis-data', 'minio-data', 'meili-data']) expect(text).toContain(`${volume}:`);
  });

  test('compose: nodes wait for every service to be healthy', () => {
    for (const [, service] of nodes) {
      expect(Object.keys(service.depends_on ?? {}).sort()).toEqual([...infrastructure].sort());
      for (const dependency of Object.values(service.depends_on ?? {})) expect(dependency.condition).toBe('service_healthy');
    }
  });

  test('compose: no secret is written in the file; each comes from the environment', () => {
    const text = readFileSync(`${repo}docker-compose.yml`, 'utf8');
    for (const secret of [
      'POSTGRES_PASSWORD',
      'NATS_PASSWORD',
      'REDIS_PASSWORD',
      'MINIO_ROOT_USER',
      'MINIO_ROOT_PASSWORD',
      'MEILI_MASTER_KEY',
      'METRICS_TOKEN',
      'TURN_SECRET',
    ]) {
      expect(text).toMatch(new RegExp(`\\$\\{${secret}:\\?`));
      expect(text).not.toMatch(new RegExp(`${secret}: (?!\\$\\{)`));
    }
  });
});

/** How the file asks for a variable that must be set: `${NAME:?set NAME}`. */
const required = (name: string) => `\${${name}:?set ${name}}`;

describe('docker-compose.yml credentials', () => {
  test('compose: only the nodes publish ports; the NATS monitoring port is not published', () => {
    for (const name of infrastructure) expect(compose.services[name]?.ports, name).toBeUndefined();
    expect(readFileSync(`${repo}docker-compose.yml`, 'utf8')).not.toMatch(/["\s]8222:/);
  });

  test('compose: NATS and Redis require passwords from the environment, and the nodes connect with them', () => {
    const nats = compose.services.nats?.command ?? [];
    expect(nats[nats.indexOf('--user') + 1]).toBe('petamigos');
    expect(nats[nats.indexOf('--pass') + 1]).toBe(required('NATS_PASSWORD'));
    const redis = compose.services.redis?.command ?? [];
    expect(redis[redis.indexOf('--requirepass') + 1]).toBe(required('REDIS_PASSWORD'));
    expect(compose.services.redis?.environment?.REDISCLI_AUTH).toBe(required('REDIS_PASSWORD'));
    for (const [, service] of nodes) {
      expect(service.environment?.NATS_URL).toBe(`nats://petamigos:${required('NATS_PASSWORD')}@nats:4222`);
      expect(service.environment?.REDIS_URL).toBe(`redis://:${required('REDIS_PASSWORD')}@redis:6379`);
      expect(service.environment?.METRICS_TOKEN).toBe(required('METRICS_TOKEN'));
    }
  });

  test("compose: the nodes' NATS and Redis URLs work with the real clients against servers requiring those passwords", async () => {
    const env = nodeEnv();
    const nats = await startNatsServer({ user: { name: 'petamigos', password: sample('NATS_PASSWORD') } });
    const redis = await startRedisServer({ password: sample('REDIS_PASSWORD') });
    const local = (url: string, service: string) => url.replace(/@[^/]+/, `@${new URL(service).host}`);
    try {
      const natsUrl = local(env.NATS_URL as string, nats.url);
      const bus = await openBus({ natsUrl, name: 'deployment-test', log: testLogger() });
      try {
        bus.subscribe('deployment.echo', (message) => message.respond(message.data));
        const answer = await bus.request('deployment.echo', new TextEncoder().encode('hi'));
        expect(new TextDecoder().decode(answer)).toBe('hi');
        expect(bus.location).not.toContain(sample('NATS_PASSWORD'));
      } finally {
        await bus.close();
      }
      const wrong = natsUrl.replace(sample('NATS_PASSWORD'), 'not-the-password');
      const refused = await openBus({ natsUrl: wrong, name: 'deployment-test', log: testLogger() }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(DependencyError);
      expect((refused as Error).message).not.toContain('not-the-password');

      const cache = await openCache({ redisUrl: local(env.REDIS_URL as string, redis.url), namespace: 'deployment', log: testLogger() });
      try {
        await cache.ping();
        expect(await cache.incr('probe')).toBe(1);
      } finally {
        await cache.close();
      }
    } finally {
      await nats.kill();
      await redis.kill();
    }
  }, 30_000);
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(`${repo}Dockerfile`, 'utf8');
  const packageJson = JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { dependencies: Record<string, string> };

  test('Dockerfile: built on the official Bun image of the version the project pins', () => {
    expect(dockerfile).toContain(`ARG BUN_VERSION=${packageJson.dependencies.bun}`);
    expect(dockerfile.match(/^FROM oven\/bun:\$\{BUN_VERSION\}/gm)?.length).toBeGreaterThanOrEqual(2);
  });

  test('Dockerfile: every copied path exists and the command starts the node', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => (match[1] as string).split(' '));
    for (const source of sources.filter((entry) => entry !== '.')) expect(existsSync(`${repo}${source}`), source).toBe(true);
    expect(dockerfile).toContain('CMD ["bun", "server/main.ts"]');
  });

  test("Dockerfile: the runtime image has ffmpeg from Debian's packages", () => {
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/RUN apt-get update[^\n]*\\\n\s*&& apt-get install -y --no-install-recommends ffmpeg\b/);
  });

  test('Dockerfile: a stage gets the SFU worker with every package scripts/sfu-worker.mjs builds with, and fails without one; the runtime carries it, finds it and has its libraries', () => {
    const script = readFileSync(`${repo}scripts/sfu-worker.mjs`, 'utf8');
    const needed = [
      ...script
        .slice(script.indexOf('const BUILD_TOOLS'), script.indexOf('function missingBuildPackages'))
        .matchAll(/\['[^']+', '([^']+)'\]/g),
    ].map((match) => match[1] as string);
    expect(needed).toContain('libsrtp2-dev');
    const stage = dockerfile.slice(dockerfile.indexOf('AS sfu'), dockerfile.indexOf('AS runtime'));
    for (const pkg of needed) expect(stage, pkg).toMatch(new RegExp(`\\s${pkg.replaceAll('+', '\\+')}\\s`));
    expect(stage).toContain('RUN PETAMIGOS_CACHE_DIR=/opt/petamigos bun scripts/sfu-worker.mjs --require');
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toContain('COPY --from=sfu /opt/petamigos /opt/petamigos');
    expect(runtime).toMatch(/PETAMIGOS_CACHE_DIR=\/opt\/petamigos/);
    for (const library of ['libuv1', 'libssl3', 'libsrtp2-1', 'libusrsctp2', 'libabsl20220623']) expect(runtime).toContain(` ${library}`);
  });

  test('Dockerfile: its ENV lines set declared variables to valid values', () => {
    const block = dockerfile.match(/^ENV ((?:.*\\\n)*.*)$/m)?.[1] ?? '';
    const env = Object.fromEntries([...block.matchAll(/([A-Z_]+)=(\S+)/g)].map((match) => [match[1] as string, match[2] as string]));
    const { NODE_ENV: _ignored, ...ours } = env;
    expect(Object.keys(ours).filter((key) => !declared.has(key))).toEqual([]);
    expect(() => loadConfig(ours)).not.toThrow();
  });
});
