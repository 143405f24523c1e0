// Serves the built web client (CLIENT_DIR) at /. Hashed build assets are cached for a year;
// any other path without a file extension gets index.html, so client-side routes load the app.
// The build writes a Brotli and a gzip copy of each text file (client/vite.config.ts); a browser
// that accepts one gets it (`content-encoding`, `vary: accept-encoding`), the others the file.
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

export interface ClientFiles {
  readonly root: string;
  readonly built: boolean;
  /** A Response for a GET of `pathname`, or undefined when nothing here answers it. */
  serve(pathname: string, acceptEncoding?: string | null): Response | undefined;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The encodings the build writes beside a file, best first, with their file suffix. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** Does `Accept-Encoding` take `name` (not refused with q=0)? */
function accepts(acceptEncoding: string, name: string): boolean {
  return acceptEncoding.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== name) return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Which compressed copies each file has, looked up on its first request only: a build replaces the
 * folder's hashed files by new names, and index.html keeps its copies beside it.
 */
const copies = new Map<string, ReadonlySet<string>>();
function copiesOf(file: string): ReadonlySet<string> {
  let found = copies.get(file);
  if (found === undefined) {
    found = new Set(ENCODINGS.filter((encoding) => existsSync(file + encoding.suffix)).map((encoding) => encoding.name));
    copies.set(file, found);
  }
  return found;
}

/** The file itself, or its compressed copy when the browser takes it. */
function body(file: string, acceptEncoding: string | null | undefined, headers: Record<string, string>): Response {
  const original = Bun.file(file);
  headers['content-type'] ??= original.type;
  headers.vary = 'accept-encoding';
  for (const encoding of ENCODINGS) {
    if (acceptEncoding == null || !accepts(acceptEncoding, encoding.name) || !copiesOf(file).has(encoding.name)) continue;
    headers['content-encoding'] = encoding.name;
    return new Response(Bun.file(file + encoding.suffix), { headers });
  }
  return new Response(original, { headers });
}

export function clientFiles(dir: string): ClientFiles {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  const built = existsSync(index);
  const fileAt = (pathname: string): string | undefined => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const path = normalize(join(root, decoded));
    if (path !== root && !path.startsWith(root + sep)) return undefined;
    return existsSync(path) && statSync(path).isFile() ? path : undefined;
  };
  return {
    root,
    built,
    serve(pathname, acceptEncoding) {
      if (!built) return undefined;
      const file = fileAt(pathname);
      if (file !== undefined && file !== index) {
        // The service worker and the manifest are checked on every visit, so a deployment reaches
        // installed apps at once; hashed assets never change.
        const fresh = pathname === '/sw.js' || pathname === '/manifest.webmanifest';
        const cache = pathname.startsWith('/assets/') ? IMMUTABLE : fresh ? 'no-cache' : 'public, max-age=300';
        const headers: Record<string, string> = { 'cache-control': cache };
        if (pathname === '/manifest.webmanifest') headers['content-type'] = 'application/manifest+json';
        return body(file, acceptEncoding, headers);
      }
      if (file === index || extname(pathname) === '') {
        return body(index, acceptEncoding, { 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' });
      }
      return undefined;
    },
  };
}
