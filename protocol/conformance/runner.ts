// Plays the scenarios of the conformance vectors against a running server over a real WebSocket
// and says, step by step, whether its answers have the expected shapes. The project's own test
// runs it against an in-process node; `bun scripts/conformance.ts <ws-url> <token>` runs it
// against any server, so the author of another client can compare what theirs sees.
import { decodeFrame, encodeFrame } from '../codec.ts';
import { type Scenario, type Step, toJson } from './vectors.ts';

export interface RunOptions {
  /** ws:// or wss:// URL of the server's /ws. */
  url: string;
  /** An access token of an ordinary user (role `user`). */
  token: string;
  /** How long each expectation waits; 5 s unless told. */
  timeoutMs?: number;
  /** Sees every frame the server sends, decoded (the project's test validates them against the schema). */
  onFrame?(frame: unknown): void;
  /** Sees every frame the runner sends that is not raw bytes or text. */
  onSend?(frame: unknown): void;
}

export interface ScenarioResult {
  name: string;
  ok: boolean;
  /** What went wrong, naming the step. */
  failure?: string;
}

type Vars = Map<string, unknown>;

const escapeKey = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** The value at a JSON pointer (RFC 6901), or undefined. */
function at(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let node = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** `{{name}}` replaced by what was captured; a string that is only a placeholder takes the value's type. */
function substitute(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(value);
    const lookup = (name: string) => {
      if (!vars.has(name)) throw new Error(`nothing captured as {{${name}}}`);
      return vars.get(name);
    };
    if (whole !== null) return lookup(whole[1] as string);
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(lookup(name)));
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, vars)]));
  return value;
}

/**
 * Where `actual` differs from `expected`, or undefined when it matches: equal everywhere, same
 * keys in every map, except at the `varying` pointers, which need only be present.
 */
export function difference(expected: unknown, actual: unknown, varying: ReadonlySet<string>, pointer = ''): string | undefined {
  if (varying.has(pointer)) return actual === undefined ? `${pointer} is missing` : undefined;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return `${pointer || '/'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    for (const [index, item] of expected.entries()) {
      const found = difference(item, actual[index], varying, `${pointer}/${index}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return `${pointer || '/'}: expected a map, got ${JSON.stringify(actual)}`;
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const found = difference(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        varying,
        `${pointer}/${escapeKey(key)}`,
      );
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `${pointer || '/'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

interface Socket {
  readonly frames: unknown[];
  readonly closed: Promise<number>;
  isClosed(): boolean;
  send(data: Uint8Array | string): void;
  /** Resolves at the next frame or close, or after `ms`. */
  wait(ms: number): Promise<void>;
  close(): void;
}

async function open(url: string, onFrame?: (frame: unknown) => void): Promise<Socket> {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const frames: unknown[] = [];
  let closedCode: number | undefined;
  let wake: () => void = () => undefined;
  const closed = new Promise<number>((resolve) =>
    ws.addEventListener('close', (event) => {
      closedCode = event.code;
      resolve(event.code);
      wake();
    }),
  );
  ws.addEventListener('message', (event) => {
    const frame = typeof event.data === 'string' ? { text: event.data } : toJson(decodeFrame(new Uint8Array(event.data as ArrayBuffer)));
    frames.push(frame);
    onFrame?.(frame);
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
  });
  return {
    frames,
    closed,
    isClosed: () => closedCode !== undefined,
    send: (data) => ws.send(data),
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    close: () => ws.close(),
  };
}

async function play(socket: Socket, steps: Step[], vars: Vars, timeoutMs: number, onSend?: (frame: unknown) => void): Promise<void> {
  const consumed = new Set<number>();
  let last = -1;
  for (const [index, step] of steps.entries()) {
    const where = `step ${index + 1}`;
    if ('send' in step) {
      const frame = substitute(step.send, vars);
      onSend?.(frame);
      socket.send(encodeFrame(frame));
    } else if ('sendHex' in step) socket.send(Uint8Array.from(Buffer.from(step.sendHex, 'hex')));
    else if ('sendText' in step) socket.send(step.sendText);
    else if ('expectClose' in step) {
      const code = await Promise.race([socket.closed, new Promise<undefined>((resolve) => setTimeout(resolve, timeoutMs))]);
      if (code !== step.expectClose)
        throw new Error(`${where}: expected the socket closed with ${step.expectClose}, got ${code ?? 'no close'}`);
    } else {
      const expected = substitute(step.expect, vars);
      const varying = new Set(step.varying ?? []);
      const deadline = Date.now() + timeoutMs;
      let found: number | undefined;
      for (;;) {
        found = socket.frames.findIndex(
          (frame, at) => !consumed.has(at) && (!step.ordered || at > last) && difference(expected, frame, varying) === undefined,
        );
        if (found >= 0 || socket.isClosed() || Date.now() >= deadline) break;
        await socket.wait(Math.min(100, deadline - Date.now()));
      }
      if (found < 0) {
        const unconsumed = socket.frames.filter((_, at) => !consumed.has(at));
        const nearest = unconsumed.map((frame) => difference(expected, frame, varying)).join('; ');
        throw new Error(
          `${where}: no frame like ${JSON.stringify(expected)}${socket.isClosed() ? ' (the socket closed)' : ''}; unread frames differ: ${nearest || 'none arrived'}`,
        );
      }
      consumed.add(found);
      last = found;
      for (const [name, pointer] of Object.entries(step.capture ?? {})) vars.set(name, at(socket.frames[found], pointer));
    }
  }
}

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioResult> {
  const vars: Vars = new Map([['token', options.token]]);
  let socket: Socket | undefined;
  try {
    socket = await open(options.url, options.onFrame);
    await play(socket, scenario.steps, vars, options.timeoutMs ?? 5000, options.onSend);
    return { name: scenario.name, ok: true };
  } catch (failure) {
    return { name: scenario.name, ok: false, failure: (failure as Error).message };
  } finally {
    socket?.close();
  }
}
