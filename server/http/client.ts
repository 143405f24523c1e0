// Serves the built web client (CLIENT_DIR) at /. Hashed build assets are cached for a year;
// any other path without a file extension gets index.html, so client-side routes load the app.
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

export interface ClientFiles {
  readonly root: string;
  readonly built: boolean;
  /** A Response for a GET of `pathname`, or undefined when nothing here answers it. */
  serve(pathname: string): Response | undefined;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

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
    serve(pathname) {
      if (!built) return undefined;
      const file = fileAt(pathname);
      if (file !== undefined && file !== index) {
        // The service worker and the manifest are checked on every visit, so a deployment reaches
        // installed apps at once; hashed assets never change.
        const fresh = pathname === '/sw.js' || pathname === '/manifest.webmanifest';
        const cache = pathname.startsWith('/assets/') ? IMMUTABLE : fresh ? 'no-cache' : 'public, max-age=300';
        const headers: Record<string, string> = { 'cache-control': cache };
        if (pathname === '/manifest.webmanifest') headers['content-type'] = 'application/manifest+json';
        return new Response(Bun.file(file), { headers });
      }
      if (file === index || extname(pathname) === '') {
        return new Response(Bun.file(index), { headers: { 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' } });
      }
      return undefined;
    },
  };
}
