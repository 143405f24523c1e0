// Replays of a write that carries an idempotency key (PayPal's `PayPal-Request-Id`, Mercado Pago's
// `X-Idempotency-Key`): the provider answers the first response again and does nothing a second time. That is what
// makes a client's retry after a timeout safe, so the fakes must do it for the retry path to be testable.

export class IdempotentReplies {
  readonly #replies = new Map<string, { status: number; body: string; headers: [string, string][] }>();

  /** Runs `handle` once per (method, path, key); later requests with the same key get a copy of its response. */
  async reply(request: Request, key: string | null, handle: () => Promise<Response> | Response): Promise<Response> {
    if (!key) return handle();
    const cacheKey = `${request.method} ${new URL(request.url).pathname} ${key}`;
    const known = this.#replies.get(cacheKey);
    if (known) return new Response(known.body || null, { status: known.status, headers: known.headers });
    const response = await handle();
    const body = await response.text();
    // Only a write that happened is remembered: after a refusal, a retry with the same key may succeed.
    if (response.status < 400) this.#replies.set(cacheKey, { status: response.status, body, headers: [...response.headers] });
    return new Response(body || null, { status: response.status, headers: response.headers });
  }
}
