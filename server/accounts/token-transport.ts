// How the refresh token travels. Native clients keep it in the JSON body (`refreshToken`) of
// sign-in, register, exchange and refresh answers and send it back in the body. A browser asks
// for the cookie transport with the `X-Token-Transport: cookie` request header: the refresh token
// is then set as an HttpOnly cookie (page scripts never see it) and left out of the JSON.
//
// The cookie is SameSite=Strict and scoped to /auth (the narrowest path covering /auth/refresh
// and /auth/logout). Strict suffices: every request that needs it is a fetch from the app's own
// pages, even right after a provider's cross-site redirect (the page that fetches is the app's).
// A refresh or logout authenticated by the cookie must carry the custom header too: a cross-site
// page cannot send it without a CORS preflight, which this server never answers with permission.
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { TokenPair } from './context.ts';

const REFRESH_COOKIE = 'refresh';
const REFRESH_COOKIE_PATH = '/auth';
const TOKEN_TRANSPORT_HEADER = 'x-token-transport';

/** Elysia's cookie jar, as the routes use it. */
export type Jar = Record<string, { value: unknown; set(options: Record<string, unknown>): unknown }>;

/** The tokens as a response carries them: with the cookie transport, the refresh token goes into the cookie. */
export type DeliveredTokens = Omit<TokenPair, 'refreshToken'> & { refreshToken?: string };

export function wantsCookie(headers: Record<string, string | undefined>): boolean {
  return headers[TOKEN_TRANSPORT_HEADER]?.trim().toLowerCase() === 'cookie';
}

function refreshCookieValue(jar: Jar): string | undefined {
  const value = jar[REFRESH_COOKIE]?.value;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Sends `pair` the way the client asked: in the body, or its refresh token in the cookie. */
export function deliverTokens(jar: Jar, headers: Record<string, string | undefined>, pair: TokenPair, secure: boolean): DeliveredTokens {
  if (!wantsCookie(headers)) return pair;
  const { refreshToken, ...rest } = pair;
  jar[REFRESH_COOKIE]?.set({
    value: refreshToken,
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: REFRESH_COOKIE_PATH,
    maxAge: Math.max(0, Math.floor((Date.parse(pair.refreshTokenExpiresAt) - Date.now()) / 1000)),
  });
  return rest;
}

export function clearRefreshCookie(jar: Jar, secure: boolean): void {
  jar[REFRESH_COOKIE]?.set({ value: '', httpOnly: true, sameSite: 'strict', secure, path: REFRESH_COOKIE_PATH, maxAge: 0 });
}

/**
 * The refresh token a refresh or logout presents: the body's, else the cookie's when the request
 * carries the transport header. A cookie without the header is refused (TOKEN_TRANSPORT_REQUIRED):
 * that is what a cross-site form or simple request would look like.
 */
export function presentedRefreshToken(
  jar: Jar,
  headers: Record<string, string | undefined>,
  fromBody: string | undefined,
): string | undefined {
  if (fromBody !== undefined) return fromBody;
  const cookie = refreshCookieValue(jar);
  if (cookie === undefined) return undefined;
  if (!wantsCookie(headers))
    throw new ForbiddenError(`a refresh token in a cookie needs the ${TOKEN_TRANSPORT_HEADER}: cookie header`, 'TOKEN_TRANSPORT_REQUIRED');
  return cookie;
}

export const noRefreshToken = () => new UnauthenticatedError('UNAUTHENTICATED', 'no refresh token: none in the body, none in the cookie');
