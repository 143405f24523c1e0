// The gateway's limits, announced to every client in its welcome (PROTOCOL.md documents them).
import type { LimitsFrame } from '../../protocol/frames.ts';
import { API_TOKEN_LIMITS } from '../../protocol/lists.ts';

export interface GatewayLimits extends LimitsFrame {
  heartbeatMs: number;
  /** Malformed frames in a row before PROTOCOL_VIOLATION. */
  maxMalformedInARow: number;
  /** Rate-limited calls in a row before FLOODING. */
  maxRateLimitedInARow: number;
  /** Sockets from one client address waiting for their hello on this node. */
  pendingSocketsPerAddress: number;
  /** How often sockets are checked for an expired token (a request is refused from the expiry on). */
  tokenSweepMs: number;
  /** How often sockets opened with personal API tokens are checked for revocation, expiry and their user's plan. */
  personalTokenCheckMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxFrameBytes: 64 * 1024,
  maxInFlight: 32,
  callsPerSecond: 50,
  callBurst: 100,
  callTimeoutMs: 10_000,
  sendBufferBytes: 1024 * 1024,
  retainedEventsPerTopic: 1000,
  helloTimeoutMs: 10_000,
  maxSubscriptions: 256,
  socketsPerUser: 20,
  userCallsPerSecond: 100,
  // The deepest frame a client sends today nests 4 (a call of posts.create); room to grow.
  maxDepth: 32,
  pendingSocketsPerAddress: 20,
  heartbeatMs: 25_000,
  maxMalformedInARow: 5,
  maxRateLimitedInARow: 100,
  tokenSweepMs: 1000,
  personalTokenCheckMs: API_TOKEN_LIMITS.planCheckMs,
};

/** A token bucket: `rate` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  #tokens: number;
  #at: number;
  readonly #rate: number;
  readonly #burst: number;

  constructor(rate: number, burst: number) {
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = burst;
    this.#at = performance.now();
  }

  /** Takes a token; returns 0 when allowed, else the milliseconds until one is available. */
  take(): number {
    const now = performance.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
  }
}
