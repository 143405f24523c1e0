// A raw protocol test client: sends any frame or bytes, keeps every decoded frame it receives,
// and waits for the one a test expects. The protocol client library is tested separately; this
// one lets tests misbehave on purpose.
import { decodeFrame, encodeFrame } from '../../protocol/codec.ts';
import { PROTOCOL_VERSION } from '../../protocol/version.ts';

export type Frame = Record<string, unknown> & { type: string };

export interface RawSocket {
  readonly frames: Frame[];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly isOpen: boolean;
  send(frame: Record<string, unknown>): void;
  sendRaw(data: Uint8Array | string): void;
  /** The first frame (already received or coming) matching `match`, after those already taken. */
  next(match?: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Sends a request with a fresh ref and returns its reply or error frame. */
  request(frame: Record<string, unknown>, timeoutMs?: number): Promise<Frame>;
  close(): void;
}

export function wsUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/ws`;
}

export async function openSocket(url: string): Promise<RawSocket> {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const frames: Frame[] = [];
  const taken = new Set<Frame>();
  let wake: () => void = () => undefined;
  let nextRef = 1;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.addEventListener('close', (event) => {
      resolve({ code: event.code, reason: event.reason });
      wake();
    });
  });
  ws.addEventListener('message', (event) => {
    frames.push(decodeFrame(new Uint8Array(event.data as ArrayBuffer)) as Frame);
    wake();
  });
  // Opened, or refused: an error, a close before the open (some refusals give no error), or no
  // answer to the upgrade within 10 s, so a test fails with a reason instead of hanging.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no upgrade answer from ${url} within 10 s`));
      ws.close();
    }, 10_000);
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    ws.addEventListener('close', (event) => reject(new Error(`closed before opening (${event.code}) ${url}`)), { once: true });
  }).finally(() => clearTimeout(timer));
  const socket: RawSocket = {
    frames,
    closed,
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
    send: (frame) => ws.send(encodeFrame(frame)),
    sendRaw: (data) => ws.send(data),
    async next(match = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.find((frame) => !taken.has(frame) && match(frame));
        if (found !== undefined) {
          taken.add(found);
          return found;
        }
        if (ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting; got ${JSON.stringify(frames.slice(-3))}`);
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames.slice(-5))}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(remaining, 50));
        });
      }
    },
    request(frame, timeoutMs) {
      const ref = nextRef++;
      socket.send({ ...frame, ref });
      return socket.next((f) => f.ref === ref && (f.type === 'reply' || f.type === 'error'), timeoutMs);
    },
    close: () => ws.close(),
  };
  return socket;
}

/** Opens a socket and says hello; returns it with the welcome frame. */
export async function connectAs(httpUrl: string, token: string): Promise<{ socket: RawSocket; welcome: Frame }> {
  const socket = await openSocket(wsUrl(httpUrl));
  socket.send({ type: 'hello', version: PROTOCOL_VERSION, token, client: 'test' });
  const welcome = await socket.next((frame) => frame.type === 'welcome');
  return { socket, welcome };
}
