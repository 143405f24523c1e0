// One client socket after (and before) its hello: who it is, its in-flight requests, its topics
// and its misbehaviour counters. The gateway owns these objects; nothing else holds them. A node
// holds one per socket, most of them idle, so what a socket rarely needs is made when first used
// and small collections are lists (a Set or Map with entries costs ~300 bytes in JavaScriptCore).

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
  /** Refs of calls and subscriptions awaiting a reply: a list while there are any (idle: none held). */
  #inFlight: number[] | undefined;
  /** The topics followed (at most `maxSubscriptions`, a few usually). */
  readonly #topics: string[] = [];
  malformedInARow = 0;
  rateLimitedInARow = 0;
  bucket: TokenBucket | undefined;
  /** The client address while the socket waits for its hello (counted per address by the gateway). */
  pendingAddress: string | undefined;
  closed = false;
  /** The hello's deadline, until the hello (a token's expiry is swept by the gateway). */
  #helloTimer: ReturnType<typeof setTimeout> | undefined;
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

  isInFlight(ref: number): boolean {
    return this.#inFlight?.includes(ref) ?? false;
  }

  get inFlightCount(): number {
    return this.#inFlight?.length ?? 0;
  }

  addInFlight(ref: number): void {
    if (this.#inFlight === undefined) this.#inFlight = [ref];
    else this.#inFlight.push(ref);
  }

  removeInFlight(ref: number): void {
    const list = this.#inFlight;
    if (list === undefined) return;
    const index = list.indexOf(ref);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.#inFlight = undefined;
  }

  get topics(): readonly string[] {
    return this.#topics;
  }

  follows(topic: string): boolean {
    return this.#topics.includes(topic);
  }

  follow(topic: string): void {
    if (!this.follows(topic)) this.#topics.push(topic);
  }

  /** False when the topic was not followed. */
  unfollow(topic: string): boolean {
    const index = this.#topics.indexOf(topic);
    if (index < 0) return false;
    this.#topics.splice(index, 1);
    return true;
  }

  /** Forgets every topic; returns them. */
  unfollowAll(): string[] {
    return this.#topics.splice(0);
  }

  helloTimer(ms: number, run: () => void): void {
    this.#helloTimer = setTimeout(run, ms);
  }

  clearHelloTimer(): void {
    clearTimeout(this.#helloTimer);
    this.#helloTimer = undefined;
  }
}
