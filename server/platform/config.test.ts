import { readFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runNodeToExit } from '../../test/harness/processes.ts';
import { ConfigError } from '../errors.ts';
import { allVariables, envExample, loadConfig } from './config.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('config', () => {
  test('config: an empty environment means embedded mode on port 3000 with every role', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.natsUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.s3).toBeUndefined();
    expect(config.dataDir).toBe('./data');
    expect([...config.roles]).toEqual(['gateway', 'actors', 'media', 'sfu']);
  });

  test('config: reads service URLs, roles and S3 settings', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/petamigos',
      NATS_URL: 'nats://a:4222,nats://b:4222',
      REDIS_URL: 'redis://cache:6379',
      S3_ENDPOINT: 'https://minio.internal:9000',
      S3_ACCESS_KEY: 'ak',
      S3_SECRET_KEY: 'sk',
      S3_BUCKET: 'pets-media',
      ROLES: 'gateway, media',
    });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/petamigos');
    expect(config.natsUrl).toBe('nats://a:4222,nats://b:4222');
    expect(config.s3?.endpoint.host).toBe('minio.internal:9000');
    expect(config.s3?.bucket).toBe('pets-media');
    expect([...config.roles]).toEqual(['gateway', 'media']);
  });

  test.each([
    ['PORT', 'abc', 'an integer from 0 to 65535'],
    ['PORT', '70000', 'an integer from 0 to 65535'],
    ['PORT', '-1', 'an integer from 0 to 65535'],
    ['DATABASE_URL', 'mysql://localhost/x', 'postgres://'],
    ['DATABASE_URL', 'not a url', 'a URL'],
    ['NATS_URL', 'http://bad:4222', 'nats://'],
    ['REDIS_URL', 'localhost:6379', 'redis://'],
    ['ROLES', 'gateway,kitchen', 'gateway, actors, media, sfu'],
    ['LOG_LEVEL', 'loud', 'one of fatal, error'],
    ['LOG_FORMAT', 'xml', 'one of json, pretty'],
    ['NODE_ID', 'has space', 'letters, digits'],
    ['HEALTH_TIMEOUT_MS', '1.5', 'an integer'],
  ])('config: rejects %s=%s and names what is expected', (name, value, expected) => {
    const error = configError({ [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message).toContain(name);
    expect(error.message).toContain(expected);
    expect(error.message).toContain(JSON.stringify(value));
  });

  test('config: S3 settings must come together', () => {
    const error = configError({ S3_ENDPOINT: 'http://localhost:9000', S3_ACCESS_KEY: 'ak' });
    expect(error.variable).toBe('S3_SECRET_KEY');
    expect(error.message).toBe('S3_SECRET_KEY must be set when S3_ENDPOINT and S3_ACCESS_KEY are set');
  });

  test('config: Chatwoot settings come together (none: no helpdesk); ids are positive integers and the base URL loses its trailing slash', () => {
    expect(loadConfig({}).chatwoot).toBeUndefined();
    const full = {
      CHATWOOT_BASE_URL: 'https://chat.petamigos.example/',
      CHATWOOT_ACCOUNT_ID: '2',
      CHATWOOT_INBOX_ID: '7',
      CHATWOOT_API_TOKEN: 'token',
      CHATWOOT_WEBHOOK_SECRET: 'secret',
    };
    expect(loadConfig(full).chatwoot).toEqual({
      baseUrl: 'https://chat.petamigos.example',
      accountId: 2,
      inboxId: 7,
      apiToken: 'token',
      webhookSecret: 'secret',
    });
    const { CHATWOOT_WEBHOOK_SECRET: _secret, ...unsigned } = full;
    expect(configError(unsigned).variable).toBe('CHATWOOT_WEBHOOK_SECRET');
    expect(configError({ ...full, CHATWOOT_INBOX_ID: '0' }).variable).toBe('CHATWOOT_INBOX_ID');
  });

  test('config: the SFU takes one worker per core, ports 40000-49999 and 127.0.0.1 by default, no ICE servers; its cache follows XDG', () => {
    const { sfu } = loadConfig({ XDG_CACHE_HOME: '/srv/xdg' });
    expect(sfu).toEqual({
      workerBin: undefined,
      cacheDir: '/srv/xdg/petamigos',
      workers: availableParallelism(),
      rtcMinPort: 40000,
      rtcMaxPort: 49999,
      listenIp: '127.0.0.1',
      announcedIp: undefined,
      ice: { stunUrls: [], turnUrls: [], turnSecret: undefined, credentialTtlSeconds: 3600 },
    });
    expect(loadConfig({ PETAMIGOS_CACHE_DIR: '/c', XDG_CACHE_HOME: '/srv/xdg' }).sfu.cacheDir).toBe('/c');
    expect(loadConfig({}).sfu.cacheDir).toBe(join(homedir(), '.cache', 'petamigos'));
    const error = configError({ SFU_RTC_MIN_PORT: '45000', SFU_RTC_MAX_PORT: '44000' });
    expect(error.variable).toBe('SFU_RTC_MIN_PORT');
    expect(error.message).toBe('SFU_RTC_MIN_PORT (45000) must not be above SFU_RTC_MAX_PORT (44000)');
  });

  test('config: every invalid variable is reported, one line each', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(error.message.split('\n')).toHaveLength(2);
  });

  test('config: .env.example documents every variable and is generated from the declaration', () => {
    const file = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    expect(file).toBe(envExample());
    for (const variable of allVariables()) expect(file).toMatch(new RegExp(`^(# )?${variable.name}=`, 'm'));
  });

  test('config: a node with PORT=abc prints one line naming the variable and exits non-zero', async () => {
    const result = await runNodeToExit({ PORT: 'abc' });
    expect(result.code).toBe(78);
    expect(result.stderr.trim().split('\n')).toEqual([
      'petamigos: invalid configuration: PORT must be an integer from 0 to 65535 (got "abc")',
    ]);
    expect(result.stdout).toBe('');
  });
});
