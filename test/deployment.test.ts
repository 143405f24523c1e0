// No Docker engine runs where the tests run, so docker-compose.yml and the Dockerfile are read
// here against the code: every variable they set is one the configuration declares, and the
// values pass its validation; the services the nodes point at exist and are health-checked.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { allVariables, loadConfig } from '../server/platform/config.ts';

const repo = new URL('../', import.meta.url).pathname;
const declared = new Set(allVariables().map((variable) => variable.name));

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = Bun.YAML.parse(readFileSync(`${repo}docker-compose.yml`, 'utf8')) as { services: Record<string, ComposeService> };
const nodes = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
const infrastructure = Object.keys(compose.services).filter((name) => compose.services[name]?.build === undefined);

/** Replaces compose's `${NAME:?message}` by a sample value, as `docker compose` would with .env. */
function substitute(value: string): string {
  return value.replace(/\$\{([A-Z_]+)(:\?[^}]*)?\}/g, (_, name: string) => `sample-${name.toLowerCase()}`);
}

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
    for (const secret of ['POSTGRES_PASSWORD', 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD', 'MEILI_MASTER_KEY']) {
      expect(text).toMatch(new RegExp(`\\$\\{${secret}:\\?`));
      expect(text).not.toMatch(new RegExp(`${secret}: (?!\\$\\{)`));
    }
  });
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

  test('Dockerfile: its ENV lines set declared variables to valid values', () => {
    const block = dockerfile.match(/^ENV ((?:.*\\\n)*.*)$/m)?.[1] ?? '';
    const env = Object.fromEntries([...block.matchAll(/([A-Z_]+)=(\S+)/g)].map((match) => [match[1] as string, match[2] as string]));
    const { NODE_ENV: _ignored, ...ours } = env;
    expect(Object.keys(ours).filter((key) => !declared.has(key))).toEqual([]);
    expect(() => loadConfig(ours)).not.toThrow();
  });
});
