// One client socket after (and before) its hello: who it is, its in-flight requests, its topics
// and its misbehaviour counters. The gateway owns these objects; nothing else holds them.

import type { SocketState } from '../../actors/user.ts';
import { encodeFrame } from '../../protocol/codec.ts';
import type { ServerFrame } from '../../protocol/frames.ts';
import type { Principal } from '../accounts/guard.ts';
import type { TokenBucket } from './limits.ts';

export interface SocketLike {
  send(data: Uint8Array): number;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  close(code?: number, reason?: string): void;
  readonly readyState: number;
}

export class Connection {
  readonly socketId: string;
  readonly openedAt = Date.now();
  /** Unix ms of the welcome (0 before). */
  welcomedAt = 0;
  principal: Principal | undefined;
  /** What the client said of this device (presence.set); sockets start active. */
  state: SocketState = 'active';
  tokenExpiresAt = 0;
  /** Refs of calls and subscriptions awaiting a reply. */
  readonly inFlight = new Set<number>();
  readonly topics = new Set<string>();
  malformedInARow = 0;
  rateLimitedInARow = 0;
  bucket: TokenBucket | undefined;
  /** The client address while the socket waits for its hello (counted per address by the gateway). */
  pendingAddress: string | undefined;
  closed = false;
  #timers: ReturnType<typeof setTimeout>[] = [];
  ws: SocketLike | undefined;

  constructor(socketId: string) {
    this.socketId = socketId;
  }

  get open(): boolean {
    return !this.closed && this.ws !== undefined && this.ws.readyState === 1;
  }

  send(frame: ServerFrame): void {
    this.sendBytes(encodeFrame(frame));
  }

  sendBytes(bytes: Uint8Array): void {
    if (this.open) this.ws?.send(bytes);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws?.close(code, reason);
  }

  timer(ms: number, run: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(run, ms);
    this.#timers.push(timer);
    return timer;
  }

  clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
  }
}
