// Who is asking: the client address of a request, behind the reverse proxies TRUST_PROXY names.
// X-Forwarded-For is read only when the socket's peer is one of those proxies; the client is then
// the right-most address in it that is not a trusted proxy (each proxy appends the address it
// got the request from, so entries left of the first untrusted one may be anything the client
// wrote). Every reader of a client address (the accounts guard, the gateway) asks this module.
import { BlockList, isIP } from 'node:net';
import { expected } from '../platform/env.ts';

export class TrustedProxies {
  readonly #list = new BlockList();
  readonly entries: readonly string[];

  constructor(entries: readonly string[]) {
    this.entries = entries;
    for (const entry of entries) {
      const [address, bits] = entry.split('/') as [string, string | undefined];
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.#list.addAddress(address, family);
      else this.#list.addSubnet(address, Number(bits), family);
    }
  }

  /** Whether `address` is one of the trusted proxies (IPv4-mapped IPv6 addresses match IPv4 entries). */
  has(address: string): boolean {
    const family = isIP(address);
    if (family === 0 || this.entries.length === 0) return false;
    return this.#list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** The client address of `request`, which came from the socket peer `peer` ('unknown' when neither tells). */
  addressOf(request: Request, peer: string | undefined): string {
    return this.clientAddress(peer, request.headers.get('x-forwarded-for')) ?? 'unknown';
  }

  /** The client address of a request that came from `peer` with this X-Forwarded-For header. */
  clientAddress(peer: string | undefined, forwardedFor: string | null): string | undefined {
    if (peer === undefined || forwardedFor === null || !this.has(peer)) return peer;
    const hops = forwardedFor
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] as string;
      if (isIP(hop) === 0) return peer;
      if (!this.has(hop)) return hop;
    }
    // Every hop is a trusted proxy: the left-most is as close to the client as anyone knows.
    return hops[0] ?? peer;
  }
}

/** TRUST_PROXY: comma-separated addresses and CIDR ranges (IPv4 or IPv6). */
export function parseTrustProxy(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const what = 'comma-separated proxy addresses or CIDR ranges, e.g. 127.0.0.1,10.0.0.0/8 (no longer a hop count)';
  return raw.split(',').map((part) => {
    const entry = part.trim();
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
    if (family === 0 || !validBits || extra !== undefined) throw expected('TRUST_PROXY', what, raw);
    return entry;
  });
}
