// The STUN and TURN servers a client is given for a call or a live stream, so that one behind a
// NAT or a firewall that lets no UDP through still reaches the SFU (relayed by TURN). TURN
// credentials are the TURN REST API's (coturn's `use-auth-secret`): the username is
// `<unix expiry>:<user id>` and the password the base64 HMAC-SHA1 of it under the secret the
// server and coturn share, so nothing is stored per user and a credential lapses by itself.
import { createHmac } from 'node:crypto';
import type { IceConfig } from '../server/platform/config.ts';

/** As RTCPeerConnection takes it (RTCIceServer). */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** The TURN password for `username` under `secret`. */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** The ICE servers for `userId`, TURN credentials valid `credentialTtlSeconds` from `now` (ms). */
export function iceServers(config: IceConfig, userId: string, now = Date.now()): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length > 0) servers.push({ urls: config.stunUrls });
  if (config.turnUrls.length > 0 && config.turnSecret !== undefined) {
    const username = `${Math.floor(now / 1000) + config.credentialTtlSeconds}:${userId}`;
    servers.push({ urls: config.turnUrls, username, credential: turnPassword(config.turnSecret, username) });
  }
  return servers;
}
