// The accounts HTTP API under /auth: sign-up and sign-in, tokens, mailed links, two-factor,
// sessions and OAuth. Each route declares its body schema (validated before the handler runs)
// and, when protected, the least role it needs.
import { Elysia } from 'elysia';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { answers, refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';
import type { AccountsDeps } from './context.ts';
import { changePassword, endOtherSessions } from './credentials.ts';
import { DEVICE_COOKIE } from './device-cookies.ts';
import { forgotPassword, resendVerification, resendVerificationTo, resetPassword, verifyEmail } from './email-flows.ts';
import { accountsGuard, authenticate, bearerToken } from './guard.ts';
import {
  exchangeLoginCode,
  finishOAuth,
  OAUTH_BINDING_COOKIE,
  OAUTH_BINDING_COOKIE_PATH,
  OAUTH_BINDING_TTL_SECONDS,
  type StartedFlow,
  startLink,
  startOAuth,
  startReauth,
} from './oauth.ts';
import { login, logout, refresh, register } from './password-auth.ts';
import * as S from './schemas.ts';
import { clearRefreshCookie, deliverTokens, type Jar, noRefreshToken, presentedRefreshToken, wantsCookie } from './token-transport.ts';
import { disableTwoFactor, enableTwoFactor, setupTwoFactor } from './two-factor.ts';
import { findUserById, userView } from './users.ts';

const noContent = () => new Response(null, { status: 204 });
/** A cookie's value as the client sent it; anything but a string (Elysia parses JSON-like values) is no cookie. */
const cookieText = (value: unknown) => (typeof value === 'string' ? value : undefined);
const accepted = { status: 'accepted' as const };
/** What refuses a sensitive change (credentials.ts, reauthenticate): the proof, its attempts, the second factor. */
const REAUTH_REFUSALS = {
  401: ['INVALID_CREDENTIALS', 'TOTP_REQUIRED', 'TOTP_INVALID'],
  403: ['REAUTH_REQUIRED'],
  429: ['RATE_LIMITED'],
} as const;
/** A refresh token presented in the body or the cookie (sessions.ts, token-transport.ts). */
const REFRESH_REFUSALS = {
  401: ['UNAUTHENTICATED', 'TOKEN_REUSED', 'SESSION_REVOKED', 'TOKEN_EXPIRED', 'TOKEN_INVALID'],
  403: ['TOKEN_TRANSPORT_REQUIRED'],
} as const;
const signedOut = answers({ 204: { description: 'Done; no content' } });
/** The header that picks the cookie transport of the refresh token (token-transport.ts). */
const transportHeader = {
  parameters: [
    {
      name: 'X-Token-Transport',
      in: 'header',
      required: false,
      schema: { type: 'string' as const, enum: ['cookie'] },
      description: 'Browsers: `cookie`, and the refresh token travels in the HttpOnly `refresh` cookie (Path=/auth) instead of the JSON',
    },
  ],
};
/** How a browser asks for the cookie transport of the refresh token (token-transport.ts). */
const TRANSPORT =
  'Native clients get the refresh token in the JSON. A browser sends X-Token-Transport: cookie: the refresh token is then set as the HttpOnly, SameSite=Strict `refresh` cookie (Path=/auth) and left out of the JSON.';
/** Sensitive changes answer 403 REAUTH_REQUIRED without a re-authentication (credentials.ts). */
const REAUTH =
  'Re-authenticates: the current password in the request (an account without one: a provider sign-in of this session within 5 minutes), and a code when two-factor is on; 403 REAUTH_REQUIRED without.';

export function accountsRoutes(deps: AccountsDeps, peerAddress: (request: Request) => string | undefined) {
  const tag = (name: string) => ({ tags: [name] });
  const secure = deps.config.appUrl.startsWith('https:');
  /** Binds an OAuth flow to this browser (see oauth.ts). */
  const bindBrowser = (cookie: Jar, flow: StartedFlow) =>
    cookie[OAUTH_BINDING_COOKIE]?.set({
      value: flow.binding,
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: OAUTH_BINDING_COOKIE_PATH,
      maxAge: OAUTH_BINDING_TTL_SECONDS,
    });
  const binding = (cookie: Jar) => cookieText(cookie[OAUTH_BINDING_COOKIE]?.value);
  return new Elysia({ name: 'accounts-routes', prefix: '/auth' })
    .use(accountsGuard(deps, peerAddress))
    .post(
      '/register',
      async ({ body, origin, set, cookie, headers }) => {
        set.status = 201;
        return deliverTokens(cookie as Jar, headers, await register(deps, body, origin), secure);
      },
      {
        body: S.RegisterBody,
        response: { 201: S.TokenPair },
        detail: {
          ...transportHeader,
          ...tag('auth'),
          summary: 'Create an account',
          description: `${TRANSPORT} Rules: README.md, "Accounts" (username, password, languages, limits).`,
          ...refusals({ 400: ['WEAK_PASSWORD'], 409: ['EMAIL_TAKEN', 'USERNAME_TAKEN'], 429: ['RATE_LIMITED'] }),
        },
      },
    )
    .post(
      '/login',
      async ({ body, origin, cookie, headers }) => {
        const jar = cookie as Jar;
        const signedIn = await login(deps, body, origin, cookieText(jar[DEVICE_COOKIE]?.value));
        jar[DEVICE_COOKIE]?.set({
          value: signedIn.deviceCookie,
          httpOnly: true,
          sameSite: 'strict',
          secure,
          path: '/auth/login',
          maxAge: deps.deviceCookies.maxAgeSeconds,
        });
        return deliverTokens(jar, headers, signedIn.tokens, secure);
      },
      {
        body: S.LoginBody,
        response: { 200: S.TokenPair },
        detail: {
          ...transportHeader,
          ...tag('auth'),
          ...refusals({ 401: ['INVALID_CREDENTIALS', 'TOTP_REQUIRED', 'TOTP_INVALID'], 429: ['RATE_LIMITED'] }),
          summary:
            'Sign in with email or username and password (and a TOTP code when two-factor is on); sets the device cookie that keeps this device out of lockouts caused elsewhere',
          description: TRANSPORT,
        },
      },
    )
    .post(
      '/refresh',
      async ({ body, origin, cookie, headers }) => {
        const jar = cookie as Jar;
        const presented = presentedRefreshToken(jar, headers, body.refreshToken);
        if (presented === undefined) throw noRefreshToken();
        return deliverTokens(jar, headers, await refresh(deps, presented, origin), secure);
      },
      {
        body: S.RefreshBody,
        response: { 200: S.TokenPair },
        detail: {
          ...transportHeader,
          ...tag('auth'),
          ...refusals(REFRESH_REFUSALS),
          summary:
            'Trade a refresh token for a new pair; each refresh token works once. Native clients send it in the body; browsers send X-Token-Transport: cookie and an empty body, and get the new one as a cookie',
        },
      },
    )
    .post(
      '/logout',
      async ({ body, headers, cookie }) => {
        const jar = cookie as Jar;
        const presented = presentedRefreshToken(jar, headers, body.refreshToken);
        if (presented !== undefined) await logout(deps, { refreshToken: presented });
        else if (headers.authorization !== undefined || !wantsCookie(headers))
          await logout(deps, await authenticate(deps, bearerToken(headers.authorization)));
        if (wantsCookie(headers)) clearRefreshCookie(jar, secure);
        return noContent();
      },
      {
        body: S.LogoutBody,
        detail: {
          ...transportHeader,
          ...tag('auth'),
          ...signedOut,
          ...refusals(REFRESH_REFUSALS),
          summary:
            'End the session of the refresh token (body, or the cookie with X-Token-Transport: cookie, which is then cleared), or of the bearer access token',
        },
      },
    )
    .post('/email/verify', async ({ body }) => ({ user: await verifyEmail(deps, body.token) }), {
      body: S.TokenBody,
      response: { 200: t.Object({ user: S.User }) },
      detail: {
        ...tag('email'),
        summary: 'Confirm an email address with the token of the mailed link',
        ...refusals({ 400: ['INVALID_TOKEN'], 409: ['ACCOUNT_GONE'] }),
      },
    })
    .post(
      '/email/resend',
      async ({ body, headers, origin, set }) => {
        set.status = 202;
        if (headers.authorization !== undefined) {
          const principal = await authenticate(deps, bearerToken(headers.authorization));
          const user = await findUserById(deps.db, principal.userId);
          if (user !== undefined) await resendVerification(deps, user);
        } else if (body.email !== undefined) {
          await resendVerificationTo(deps, body.email, origin.ip);
        } else {
          throw new InvalidInputError('email is required when not signed in', { field: 'email' });
        }
        return accepted;
      },
      {
        body: S.OptionalEmailBody,
        response: { 202: S.Accepted },
        detail: {
          ...tag('email'),
          ...refusals({
            401: ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'TOKEN_INVALID', 'SESSION_REVOKED'],
            409: ['EMAIL_ALREADY_VERIFIED'],
            429: ['RATE_LIMITED'],
          }),
          summary: 'Send the verification mail again (signed in, or by address; the answer never says whether it exists)',
        },
      },
    )
    .post(
      '/password/forgot',
      async ({ body, origin, set }) => {
        set.status = 202;
        await forgotPassword(deps, body.email, origin.ip);
        return accepted;
      },
      {
        body: S.EmailBody,
        response: { 202: S.Accepted },
        detail: {
          ...tag('password'),
          summary: 'Mail a reset link; the same answer whether or not the address has an account',
          ...refusals({ 429: ['RATE_LIMITED'] }),
        },
      },
    )
    .post(
      '/password/reset',
      async ({ body }) => {
        await resetPassword(deps, body.token, body.password);
        return { status: 'password_changed' as const };
      },
      {
        body: S.ResetBody,
        response: { 200: t.Object({ status: t.Literal('password_changed') }) },
        detail: {
          ...tag('password'),
          summary: 'Set a new password with the mailed token; every session and every personal API token ends',
          ...refusals({ 400: ['INVALID_TOKEN', 'WEAK_PASSWORD'], 409: ['ACCOUNT_GONE'] }),
        },
      },
    )
    .post(
      '/password/change',
      async ({ user, principal, body }) => {
        await changePassword(deps, user, principal.sessionId, body);
        return noContent();
      },
      {
        role: 'user',
        body: S.ChangePasswordBody,
        detail: {
          ...tag('password'),
          summary: 'Set a new password; other sessions and mailed reset links end',
          description: REAUTH,
          ...signedOut,
          ...refusals({ ...REAUTH_REFUSALS, 400: ['WEAK_PASSWORD'] }),
        },
      },
    )
    .post('/2fa/setup', ({ user }) => setupTwoFactor(deps, user), {
      role: 'user',
      response: { 200: t.Object({ secret: t.String(), otpauthUrl: t.String(), qrCode: t.String() }) },
      detail: {
        ...tag('two-factor'),
        summary: 'Start two-factor set-up: a TOTP secret, its otpauth URL and a QR code (PNG data URL)',
        ...refusals({ 409: ['TWO_FACTOR_ALREADY_ENABLED'] }),
      },
    })
    .post('/2fa/enable', ({ user, principal, body }) => enableTwoFactor(deps, user, principal.sessionId, body), {
      role: 'user',
      body: S.EnableTwoFactorBody,
      response: { 200: t.Object({ recoveryCodes: t.Array(t.String()) }) },
      detail: {
        ...tag('two-factor'),
        ...refusals({
          401: ['INVALID_CREDENTIALS', 'TOTP_INVALID'],
          403: ['REAUTH_REQUIRED'],
          409: ['TWO_FACTOR_ALREADY_ENABLED', 'TWO_FACTOR_NOT_SET_UP'],
          429: ['RATE_LIMITED'],
        }),
        summary: 'Turn two-factor on with a first code of the authenticator; returns ten single-use recovery codes',
        description: REAUTH,
      },
    })
    .post(
      '/2fa/disable',
      async ({ user, principal, body }) => {
        await disableTwoFactor(deps, user, principal.sessionId, body);
        return noContent();
      },
      {
        role: 'user',
        body: S.DisableTwoFactorBody,
        detail: {
          ...tag('two-factor'),
          summary: 'Turn two-factor off',
          description: REAUTH,
          ...signedOut,
          ...refusals({ ...REAUTH_REFUSALS, 409: ['TWO_FACTOR_NOT_ENABLED'] }),
        },
      },
    )
    .get('/me', ({ user }) => ({ user: userView(user) }), {
      role: 'user',
      response: { 200: t.Object({ user: S.User }) },
      detail: { ...tag('auth'), summary: 'The signed-in user' },
    })
    .get('/sessions', async ({ principal }) => ({ sessions: await deps.sessions.list(principal.userId, principal.sessionId) }), {
      role: 'user',
      response: { 200: t.Object({ sessions: t.Array(S.Session) }) },
      detail: { ...tag('sessions'), summary: 'The signed-in devices of this user' },
    })
    .delete('/sessions', async ({ user, principal, body }) => ({ ended: await endOtherSessions(deps, user, principal.sessionId, body) }), {
      role: 'user',
      body: S.ReauthenticateBody,
      response: { 200: t.Object({ ended: t.Integer() }) },
      detail: {
        ...tag('sessions'),
        summary: 'Sign out every other device (this one stays signed in)',
        description: REAUTH,
        ...refusals(REAUTH_REFUSALS),
      },
    })
    .delete(
      '/sessions/:id',
      async ({ principal, params }) => {
        if (!(await deps.sessions.revoke(principal.userId, params.id, 'revoked'))) throw new NotFoundError('session');
        return noContent();
      },
      {
        role: 'user',
        params: t.Object({ id: t.String({ format: 'uuid' }) }),
        detail: { ...tag('sessions'), summary: 'Sign out one device', ...signedOut, ...refusals({ 404: ['NOT_FOUND'] }) },
      },
    )
    .get('/oauth/providers', () => ({ providers: deps.config.oauth.map((provider) => provider.name) }), {
      response: { 200: t.Object({ providers: t.Array(t.String()) }) },
      detail: { ...tag('oauth'), summary: 'The sign-in providers this installation offers' },
    })
    .get(
      '/oauth/:provider/start',
      async ({ params, query, redirect, cookie }) => {
        const jar = cookie as Jar;
        const flow = await startOAuth(deps, params.provider, query.language, binding(jar));
        bindBrowser(jar, flow);
        return redirect(flow.url, 302);
      },
      {
        query: t.Object({ language: t.Optional(t.String({ maxLength: 8 })) }),
        detail: {
          ...tag('oauth'),
          summary: 'Redirect to the provider to sign in; binds the flow to this browser (cookie)',
          ...answers({ 302: { description: "To the provider's authorization page" } }),
          ...refusals({ 404: ['NOT_FOUND'] }),
        },
      },
    )
    .post(
      '/oauth/:provider/link',
      async ({ user, principal, params, body, cookie }) => {
        const jar = cookie as Jar;
        const flow = await startLink(deps, user, principal.sessionId, params.provider, body, binding(jar));
        bindBrowser(jar, flow);
        return { url: flow.url };
      },
      {
        role: 'user',
        body: S.ReauthenticateBody,
        response: { 200: t.Object({ url: t.String() }) },
        detail: {
          ...tag('oauth'),
          ...refusals({ ...REAUTH_REFUSALS, 404: ['NOT_FOUND'] }),
          summary: 'Link a provider account to this one: the URL to send the browser to',
          description: REAUTH,
        },
      },
    )
    .post(
      '/oauth/:provider/reauth',
      async ({ user, principal, params, cookie }) => {
        const jar = cookie as Jar;
        const flow = await startReauth(deps, user, principal.sessionId, params.provider, binding(jar));
        bindBrowser(jar, flow);
        return { url: flow.url };
      },
      {
        role: 'user',
        response: { 200: t.Object({ url: t.String() }) },
        detail: {
          ...tag('oauth'),
          ...refusals({ 400: ['OAUTH_NOT_LINKED'], 404: ['NOT_FOUND'] }),
          summary:
            'Sign in again at a provider this account signs in with: the URL to send the browser to; back at /settings/sign-in?reauthenticated=<provider>, this session counts as re-authenticated for 5 minutes',
        },
      },
    )
    .get(
      '/oauth/:provider/callback',
      async ({ params, query, redirect, cookie }) => redirect(await finishOAuth(deps, params.provider, query, binding(cookie as Jar)), 302),
      {
        detail: {
          ...tag('oauth'),
          summary: 'Where the provider sends the browser back (query response mode)',
          ...answers({
            302: {
              description:
                'To APP_URL/oauth/complete?code=… after a sign-in, to the settings page after a link or re-authentication, or with ?oauthError=<code> (OAUTH_DENIED, OAUTH_LINK_REQUIRED…) when it failed',
            },
          }),
        },
      },
    )
    .post(
      '/oauth/:provider/callback',
      // A cross-site form post carries no SameSite=Lax cookie: the browser is sent on to the GET
      // callback with the same fields, a top-level navigation that does carry it.
      ({ params, body, redirect }) => {
        const fields = new URLSearchParams();
        for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>))
          if (typeof value === 'string') fields.set(name, value);
        return redirect(`${deps.config.appUrl}/auth/oauth/${encodeURIComponent(params.provider)}/callback?${fields}`, 303);
      },
      {
        parse: 'urlencoded',
        detail: {
          ...tag('oauth'),
          summary: 'Where the provider posts the browser back (form_post response mode, Apple)',
          requestBody: {
            required: true,
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  description: "The provider's fields (code, state, id_token, user, error…), passed on unread to the GET callback",
                  additionalProperties: { type: 'string' },
                },
              },
            },
          },
          ...answers({ 303: { description: 'To the GET callback with the same fields' } }),
        },
      },
    )
    .post(
      '/oauth/exchange',
      async ({ body, origin, cookie, headers }) => {
        const jar = cookie as Jar;
        return deliverTokens(jar, headers, await exchangeLoginCode(deps, body.code, body.totp, binding(jar), origin), secure);
      },
      {
        body: S.ExchangeBody,
        response: { 200: S.TokenPair },
        detail: {
          ...transportHeader,
          ...tag('oauth'),
          ...refusals({ 400: ['INVALID_TOKEN'], 401: ['TOTP_REQUIRED', 'TOTP_INVALID'], 429: ['RATE_LIMITED'] }),
          summary:
            'Trade the one-time code of the OAuth redirect for tokens, from the browser that started the sign-in (and a TOTP code when two-factor is on)',
          description: TRANSPORT,
        },
      },
    );
}
