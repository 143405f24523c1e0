// The HTTP API of the node that served the app (same origin): JSON in and out, and failures as
// ApiError carrying the server's stable error code. Requests to /auth ask for the cookie
// transport: the refresh token stays in an HttpOnly cookie and never reaches page scripts.
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(code: string, message: string, status: number, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(path.startsWith('/auth/') ? { 'x-token-transport': 'cookie' } : {}),
      },
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new ApiError('NETWORK', (cause as Error).message, 0);
  }
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => ({}))) as {
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
  if (!response.ok) {
    const error = payload.error ?? { code: 'UNKNOWN', message: response.statusText };
    throw new ApiError(error.code, error.message, response.status, error.details);
  }
  return payload as T;
}
