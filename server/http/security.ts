// The security headers every HTTP response of a node carries (the API, its errors, the web client,
// media files, the /ws refusal): one place, applied by Bun.serve's fetch to whatever leaves.
// The policy allows scripts and styles from the node only (the built client has no inline code),
// the app's own WebSocket, images and media from the node, blob: (hls.js feeds video through
// MediaSource and runs its worker from a blob) and data: (blurred previews), plus the S3
// endpoint when media are stored there (presigned reads and direct uploads go to it).

export interface SecurityOptions {
  /** APP_URL: its WebSocket origin is allowed, and HSTS is sent when it is https. */
  appUrl: string;
  /** Origin of the S3 endpoint, when media live there. */
  storageOrigin: string | undefined;
}

export function securityHeaders({ appUrl, storageOrigin }: SecurityOptions): Record<string, string> {
  const app = new URL(appUrl);
  const https = app.protocol === 'https:';
  // CSP 3 lets 'self' match the page's own ws:/wss:; the explicit origin covers older browsers.
  const socket = `${https ? 'wss' : 'ws'}://${app.host}`;
  const storage = storageOrigin === undefined ? [] : [storageOrigin];
  const policy = [
    ["default-src 'self'"],
    ["script-src 'self'"],
    ["style-src 'self'"],
    ["img-src 'self' data: blob:", ...storage],
    ["media-src 'self' blob:", ...storage],
    ["connect-src 'self'", socket, ...storage],
    ["worker-src 'self' blob:"],
    ["object-src 'none'"],
    ["base-uri 'none'"],
    ["frame-ancestors 'none'"],
  ]
    .map((parts) => parts.join(' '))
    .join('; ');
  return {
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': 'camera=(self), microphone=(self), geolocation=(self)',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
    ...(https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Sets `headers` on `response` (Bun's responses, redirects included, have mutable headers). */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
