// A small HTTP client for API tests: JSON in, status + JSON (or text) + headers out. Each client
// speaks from its own made-up address through X-Forwarded-For (nodes under test trust loopback as a proxy),
// so per-address rate limits of one test do not spill into another.
import { randomInt } from 'node:crypto';

interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiClient {
  readonly ip: string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; raw?: BodyInit; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  post<T = Record<string, unknown>>(path: string, body?: unknown, token?: string): Promise<ApiResponse<T>>;
  get<T = Record<string, unknown>>(path: string, token?: string): Promise<ApiResponse<T>>;
}

function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export function apiClient(baseUrl: string, ip = randomIp()): ApiClient {
  const client: ApiClient = {
    ip,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { 'x-forwarded-for': ip, ...options.headers };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      let body: BodyInit | undefined = options.raw;
      if (options.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(options.body);
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
      const text = await response.text();
      let parsed: unknown = text;
      if (response.headers.get('content-type')?.includes('json') && text !== '') parsed = JSON.parse(text);
      return { status: response.status, body: parsed as never, headers: response.headers };
    },
    post: (path, body, token) => client.request('POST', path, { body: body ?? {}, ...(token === undefined ? {} : { token }) }),
    get: (path, token) => client.request('GET', path, token === undefined ? {} : { token }),
  };
  return client;
}
