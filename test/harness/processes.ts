// Helpers that run real programs next to the tests: a PetAmigos node as its own process, and
// private redis-server / nats-server instances that a test may kill to see a dependency fail.

import { createServer } from 'node:net';
import { type Subprocess, spawn } from 'bun';
import { noteLogLine } from './contract.ts';
import { createTempDir } from './services.ts';

const REPO = new URL('../../', import.meta.url).pathname;
const BUN = process.execPath;

/** A TCP port that was free a moment ago. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface NodeProcess {
  readonly url: string;
  readonly port: number;
  readonly process: Subprocess;
  /** Every JSON log line the node has written so far. */
  readonly logs: LogLine[];
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/**
 * Where this machine's mediasoup worker is, as the install step (scripts/sfu-worker.mjs) saw it:
 * the variables test nodes are given from the test process's environment.
 */
export function workerEnv(): Record<string, string> {
  const names = ['MEDIASOUP_WORKER_BIN', 'PETAMIGOS_CACHE_DIR', 'XDG_CACHE_HOME'];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}

/**
 * Starts `bun server/main.ts` with exactly `env` (plus PATH, HOME, where the SFU's worker is, and
 * one SFU worker instead of one per core) and resolves once it logs that it listens. Rejects with
 * the node's output if it exits first. BENCH_NODE_FLAGS adds Bun flags, space-separated, to
 * profile a benchmark's nodes (`--cpu-prof-md --cpu-prof-dir=/tmp/p`); BENCH_NODE_ENV adds
 * variables, `NAME=value` space-separated, to try a runtime setting on them.
 */
export async function spawnNode(env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<NodeProcess> {
  const child = spawn([BUN, ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), 'server/main.ts'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_FORMAT: 'json',
      PORT: '0',
      SFU_WORKERS: '1',
      ...workerEnv(),
      ...Object.fromEntries((process.env.BENCH_NODE_ENV?.split(' ').filter(Boolean) ?? []).map((pair) => pair.split('=', 2))),
      ...env,
    },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const logs: LogLine[] = [];
  let stderr = '';
  let resolveListening: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => {
    resolveListening = resolve;
  });
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of child.stdout) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        try {
          const parsed = JSON.parse(line) as LogLine;
          logs.push(parsed);
          noteLogLine(parsed.msg);
          if (parsed.msg.startsWith('node.start() | listening')) resolveListening(parsed.port as number);
        } catch {
          logs.push({ level: 0, msg: line });
        }
      }
    }
  })();
  void (async () => {
    stderr = await new Response(child.stderr).text();
  })();
  const exited = child.exited.then((code) => {
    throw new Error(`node exited with ${code} before listening\nstdout: ${logs.map((l) => l.msg).join('\n')}\nstderr: ${stderr}`);
  });
  const timeout = Bun.sleep(options.timeoutMs ?? 30_000).then(() => {
    throw new Error(`node did not listen in time\n${logs.map((l) => l.msg).join('\n')}\n${stderr}`);
  });
  let port: number;
  try {
    port = await Promise.race([listening, exited, timeout]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return child.exited;
    },
  };
}

/** Runs `bun server/main.ts` to its exit and returns what it printed. */
export async function runNodeToExit(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn([BUN, ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), 'server/main.ts'], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

export interface ServiceProcess {
  readonly url: string;
  kill(): Promise<void>;
}

/** A private redis-server (no persistence) on `port`, or on a free port; with `password`, it requires it. */
export async function startRedisServer(options: { port?: number; password?: string } = {}): Promise<ServiceProcess & { port: number }> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    [
      Bun.which('redis-server') ?? '/usr/bin/redis-server',
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...(options.password === undefined ? [] : ['--requirepass', options.password]),
    ],
    {
      stdout: 'ignore',
      stderr: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitFor('redis-server', 10_000, async () => {
    const socket = await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } });
    socket.end();
    return true;
  });
  return {
    url,
    port,
    kill: async () => {
      child.kill('SIGKILL');
      await child.exited;
    },
  };
}

/** A private nats-server on a free port, with JetStream unless `jetstream` is false; with `user`, it requires that user and password. */
export async function startNatsServer(
  options: { jetstream?: boolean; user?: { name: string; password: string } } = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  const store = createTempDir('nats');
  const args = [Bun.which('nats-server') ?? '/usr/sbin/nats-server', '-a', '127.0.0.1', '-p', String(port)];
  if (options.jetstream !== false) args.push('-js', '-sd', store.path);
  if (options.user !== undefined) args.push('--user', options.user.name, '--pass', options.user.password);
  const child = spawn(args, { stdout: 'ignore', stderr: 'ignore' });
  await waitFor('nats-server', 10_000, async () => {
    const socket = await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } });
    socket.end();
    return true;
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    kill: async () => {
      child.kill('SIGKILL');
      await child.exited;
      store.remove();
    },
  };
}
