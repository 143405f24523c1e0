// Signed, expiring URLs for reading media, the same in both storage modes: the path carries an
// expiry and an HMAC of it with the media's out/ folder, so every file under that folder (an HLS
// playlist and the segments its relative links name) is readable with one signature until then.
// The node checks the signature and serves the file (folder storage) or redirects to a presigned
// URL of the object (S3); playlists are served by the node on both, so relative links stay here.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StoredFile } from './schema.ts';

const DEFAULT_TTL_SECONDS = 6 * 3600;

export interface MediaUrls {
  /** Every file of a ready media, by name, signed for the next hours. */
  of(row: { ownerId: string; id: string; files: StoredFile[] }): Record<string, string>;
  /** The key to read when `path` (after /media/files/) is signed and not expired; undefined otherwise. */
  verify(path: string, now?: number): string | undefined;
}

export function mediaUrls(secret: string, ttlSeconds = DEFAULT_TTL_SECONDS): MediaUrls {
  const sign = (folder: string, expires: number) => createHmac('sha256', secret).update(`${expires}:${folder}`).digest('base64url');
  return {
    of(row) {
      // Rounded expiry: the same URL for an hour, so browsers cache the files.
      const expires = Math.ceil((Date.now() / 1000 + ttlSeconds) / 3600) * 3600;
      const folder = `media/${row.ownerId}/${row.id}/out/`;
      const base = `/media/files/${expires}/${sign(folder, expires)}/${folder}`;
      return Object.fromEntries(row.files.map((file) => [file.name, `${base}${file.name}`]));
    },
    verify(path, now = Date.now()) {
      const match = /^(\d{1,12})\/([A-Za-z0-9_-]{43})\/(media\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/out\/)(.+)$/.exec(path);
      if (match === null) return undefined;
      const [, expires, signature, folder, rest] = match as unknown as [string, string, string, string, string];
      if (Number(expires) * 1000 < now) return undefined;
      const expected = Buffer.from(sign(folder, Number(expires)));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      if (rest.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return undefined;
      return `${folder}${rest}`;
    },
  };
}
