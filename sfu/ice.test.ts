// ICE servers for clients behind NAT: the TURN REST API credentials the server hands out, checked
// against a known vector (computed with `openssl dgst -sha1 -hmac`) and against a real coturn
// (Debian's `turnserver`, which .ci/run installs) with `use-auth-secret`: its own client,
// `turnutils_uclient`, relays packets through it with them, and gets no relay with a wrong or
// lapsed one.
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../server/platform/config.ts';
import { iceServers, turnPassword } from './ice.ts';

const SECRET = 'test-secret-0123456789';

test('ice: the TURN password is the base64 HMAC-SHA1 of the username (a vector made with openssl)', () => {
  expect(turnPassword(SECRET, '1796666684:user1')).toBe('iVRJhMKMr9RtRhLQovP18gHureY=');
});

test('ice: STUN and TURN servers from ICE_SERVERS, TURN with a username that names its expiry and the user', () => {
  const { ice } = loadConfig({
    ICE_SERVERS: 'stun:turn.example.com:3478,turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349',
    TURN_SECRET: SECRET,
    TURN_CREDENTIAL_TTL_SECONDS: '600',
  }).sfu;
  const servers = iceServers(ice, 'user-1', 1_700_000_000_000);
  expect(servers).toEqual([
    { urls: ['stun:turn.example.com:3478'] },
    {
      urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
      username: '1700000600:user-1',
      credential: turnPassword(SECRET, '1700000600:user-1'),
    },
  ]);
  expect(iceServers(loadConfig({}).sfu.ice, 'user-1')).toEqual([]);
});

test('ice: a TURN URL without a secret of 16 characters, a URL of another scheme, and a wildcard listen address without an announced one are refused at start', () => {
  const refused = (env: Record<string, string>, variable: string) =>
    expect(() => loadConfig(env)).toThrow(expect.objectContaining({ variable }));
  refused({ ICE_SERVERS: 'turn:turn.example.com:3478' }, 'TURN_SECRET');
  refused({ ICE_SERVERS: 'turn:turn.example.com:3478', TURN_SECRET: 'short' }, 'TURN_SECRET');
  refused({ ICE_SERVERS: 'http://turn.example.com' }, 'ICE_SERVERS');
  refused({ ICE_SERVERS: 'turn:turn.example.com:3478\r\nx' }, 'ICE_SERVERS');
  refused({ SFU_LISTEN_IP: '0.0.0.0' }, 'SFU_ANNOUNCED_IP');
  expect(loadConfig({ SFU_LISTEN_IP: '0.0.0.0', SFU_ANNOUNCED_IP: '203.0.113.10' }).sfu.announcedIp).toBe('203.0.113.10');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('ice: against coturn', () => {
  let port: number;
  let turnserver: ReturnType<typeof spawn>;
  beforeAll(async () => {
    if (spawnSync('turnserver', ['--version']).error !== undefined)
      throw new Error('turnserver (Debian package coturn) is not installed: .ci/run installs it');
    port = await freePort();
    turnserver = spawn(
      'turnserver',
      [
        '-n',
        '--listening-ip=127.0.0.1',
        `--listening-port=${port}`,
        '--relay-ip=127.0.0.1',
        '--use-auth-secret',
        `--static-auth-secret=${SECRET}`,
        '--realm=petamigos',
        '--no-tls',
        '--no-dtls',
        '--no-cli',
        // The test client's peer is on 127.0.0.1 too (a production server keeps loopback peers off).
        '--allow-loopback-peers',
        '--log-file=stdout',
      ],
      { stdio: 'ignore' },
    );
    // It logs through a buffer when its output is a pipe: ready is when it takes a TCP connection.
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (Date.now() > deadline) throw new Error(`turnserver did not listen on ${port} within 10 s`);
      await Bun.sleep(20);
    }
  });
  afterAll(() => {
    turnserver?.kill('SIGTERM');
  });

  /**
   * Asks coturn, with its own test client, for relay allocations with `username`/`password`: two
   * clients (`-y`) each get a relay and send to each other through them. Granted when every packet
   * went through the relays.
   */
  function allocate(username: string, password: string): { ok: boolean; output: string } {
    const run = spawnSync(
      'turnutils_uclient',
      ['-y', '-u', username, '-w', password, '-p', String(port), '-n', '1', '-m', '1', '127.0.0.1'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    const output = `${run.stdout}${run.stderr}`;
    return { ok: run.status === 0 && output.includes('Total lost packets 0 '), output };
  }

  test('ice: coturn gives a relay to the credentials the server hands out, and refuses a wrong or lapsed one', () => {
    const { ice } = loadConfig({ ICE_SERVERS: `turn:127.0.0.1:${port}`, TURN_SECRET: SECRET }).sfu;
    const [turn] = iceServers(ice, 'user-1');
    const granted = allocate(turn?.username as string, turn?.credential as string);
    expect(granted.ok, granted.output).toBe(true);
    expect(allocate(turn?.username as string, turnPassword('another-secret-0123456789', turn?.username as string)).ok).toBe(false);
    const [lapsed] = iceServers(ice, 'user-1', Date.now() - 2 * 3600_000);
    expect(allocate(lapsed?.username as string, lapsed?.credential as string).ok).toBe(false);
  });
});
