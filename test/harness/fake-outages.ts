// A provider that is down for a moment: the next requests to some paths are answered 503, either
// before doing anything or after doing it (the answer lost on the way back, as a timeout loses it),
// so a caller's retry path and its idempotency can be tested: "fails once, then works".

export type OutageWhen = 'before' | 'after';

interface Planned {
  path: RegExp;
  left: number;
  when: OutageWhen;
}

export class Outages {
  readonly #planned: Planned[] = [];
  /** Every request answered with an outage, for the test to count. */
  readonly failed: { method: string; path: string; when: OutageWhen }[] = [];

  /** The next `times` POSTs to a path matching `path` fail (`after`: done, but answered 503). */
  plan(path: RegExp, times: number, when: OutageWhen): void {
    this.#planned.push({ path, left: times, when });
  }

  /** Whether this request is to fail, and when; one fewer planned failure is left. */
  take(method: string, pathname: string): OutageWhen | undefined {
    if (method !== 'POST') return undefined;
    const planned = this.#planned.find((each) => each.left > 0 && each.path.test(pathname));
    if (planned === undefined) return undefined;
    planned.left--;
    this.failed.push({ method, path: pathname, when: planned.when });
    return planned.when;
  }

  /** Runs the request as the outage plan says. */
  async answer(request: Request, pathname: string, unavailable: () => Response, handle: () => Promise<Response>): Promise<Response> {
    const when = this.take(request.method, pathname);
    if (when === 'before') return unavailable();
    const answer = await handle();
    return when === 'after' ? unavailable() : answer;
  }
}
