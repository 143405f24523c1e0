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
        const cache = pathname.startsWith('/assets/') ? IMMUTABLE : 'public, max-age=300';
        return new Response(Bun.file(file), { headers: { 'cache-control': cache } });
      }
      if (file === index || extname(pathname) === '') {
        return new Response(Bun.file(index), { headers: { 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' } });
      }
      return undefined;
    },
  };
}
