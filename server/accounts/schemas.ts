// The wire shapes of the accounts HTTP API, declared once (TypeBox via Elysia's `t`): they
// validate requests and document the API in /openapi. Limits here are generous outer bounds;
// the domain checks (users.ts, passwords.ts) give the precise reasons.

import { User } from '../../protocol/catalogue.ts';
import { t } from '../http/schema.ts';
import { LANGUAGES } from '../i18n/languages.ts';

const email = t.String({ maxLength: 320, description: 'Email address', examples: ['ana@example.com'] });
const password = t.String({
  minLength: 1,
  maxLength: 1024,
  description: 'At least 10 characters, 5 different ones; not a common password',
});
const opaque = (description: string) => t.String({ minLength: 1, maxLength: 256, description });

export const RegisterBody = t.Object({
  email,
  username: t.String({ maxLength: 64, description: '3 to 30 of a-z, 0-9, "_", "."', examples: ['luna_and_max'] }),
  password,
  language: t.Union(
    LANGUAGES.map((code) => t.Literal(code)),
    { description: 'One of the 20 supported languages' },
  ),
});

export const LoginBody = t.Object({
  login: t.String({ minLength: 1, maxLength: 320, description: 'Email or username' }),
  password,
  totp: t.Optional(t.String({ maxLength: 64, description: 'Authenticator code or recovery code, when two-factor is on' })),
});

export const RefreshBody = t.Object({
  refreshToken: t.Optional(opaque('Refresh token from login, register or a previous refresh; omitted with the cookie transport')),
});
export const LogoutBody = t.Object({ refreshToken: t.Optional(opaque('Refresh token of the session to end')) });
export const TokenBody = t.Object({ token: opaque('Token from the mailed link') });
export const EmailBody = t.Object({ email });
export const OptionalEmailBody = t.Object({ email: t.Optional(email) });
export const ResetBody = t.Object({ token: opaque('Token from the mailed link'), password });
const currentPassword = t.Optional(t.String({ maxLength: 1024, description: 'The current password, when the account has one' }));
export const EnableTwoFactorBody = t.Object({
  code: t.String({ minLength: 1, maxLength: 64, description: 'A code of the authenticator being set up' }),
  password: currentPassword,
});
export const DisableTwoFactorBody = t.Object({
  password: currentPassword,
  code: t.String({ minLength: 1, maxLength: 64, description: 'Authenticator code or recovery code' }),
});
export const ExchangeBody = t.Object({
  code: opaque('One-time code from the OAuth callback redirect'),
  totp: t.Optional(t.String({ maxLength: 64, description: 'Authenticator code or recovery code, when two-factor is on' })),
});
const secondFactor = t.Optional(t.String({ maxLength: 64, description: 'Authenticator code or recovery code, when two-factor is on' }));
export const ReauthenticateBody = t.Object(
  { password: currentPassword, code: secondFactor },
  {
    description:
      'Re-authentication: the current password (an account without one signs in again at its provider first, POST /auth/oauth/{provider}/reauth), and a code when two-factor is on',
  },
);
export const ChangePasswordBody = t.Object({
  password: currentPassword,
  code: secondFactor,
  newPassword: password,
});
export const RoleBody = t.Object({ role: t.Union([t.Literal('user'), t.Literal('moderator'), t.Literal('admin')]) });

// The user view is part of the WebSocket protocol too (account.updated events): one declaration.
export { User };

export const TokenPair = t.Object({
  tokenType: t.Literal('Bearer'),
  accessToken: t.String(),
  accessTokenExpiresAt: t.String({ format: 'date-time' }),
  refreshToken: t.Optional(t.String({ description: 'Left out with X-Token-Transport: cookie (the token is in the refresh cookie)' })),
  refreshTokenExpiresAt: t.String({ format: 'date-time' }),
  sessionId: t.String({ format: 'uuid' }),
  user: User,
});

export const Session = t.Object({
  id: t.String({ format: 'uuid' }),
  userAgent: t.Nullable(t.String()),
  ip: t.Nullable(t.String()),
  createdAt: t.Date(),
  lastSeenAt: t.Date(),
  current: t.Boolean(),
});

export const Accepted = t.Object({ status: t.Literal('accepted') });
