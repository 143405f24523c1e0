// The accounts section of the configuration: public URL, token signing keys, mail delivery,
// proxy trust and the OAuth providers. Declared here, next to the code that uses it, and merged
// into the one configuration in server/platform/config.ts.
import { ConfigError } from '../errors.ts';
import { parseTrustProxy, TrustedProxies } from '../http/proxies.ts';
import { type Env, expected, integer, optionalText, optionalUrl, text, type Variable } from '../platform/env.ts';

const OAUTH_PROVIDERS = ['google', 'facebook', 'apple'] as const;
export type OAuthProviderName = (typeof OAUTH_PROVIDERS)[number];

export interface SigningKey {
  kid: string;
  secret: Uint8Array;
}

export interface OAuthProviderConfig {
  name: OAuthProviderName;
  /** 'oidc': the token response carries a signed id_token. 'oauth2': the profile comes from the userinfo URL. */
  flavor: 'oidc' | 'oauth2';
  clientId: string;
  clientSecret: string | undefined;
  issuer: string | undefined;
  authorizationUrl: string;
  tokenUrl: string;
  userinfoUrl: string | undefined;
  jwksUrl: string | undefined;
  scopes: string[];
  responseMode: 'query' | 'form_post';
  /** Apple signs its client secret itself: an ES256 JWT made from these. */
  apple: { teamId: string; keyId: string; privateKey: string } | undefined;
}

export interface AccountsConfig {
  appUrl: string;
  /** Undefined: a key is generated once and kept in the database (see tokens.ts). */
  signingKeys: SigningKey[] | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The reverse proxies whose X-Forwarded-For is believed (TRUST_PROXY). */
  trustProxy: TrustedProxies;
  accessTokenTtlSeconds: number;
  oauth: OAuthProviderConfig[];
}

interface ProviderDefaults {
  flavor: 'oidc' | 'oauth2';
  issuer?: string;
  authorizationUrl: string;
  tokenUrl: string;
  userinfoUrl?: string;
  jwksUrl?: string;
  scopes: string[];
  responseMode: 'query' | 'form_post';
}

const PROVIDER_DEFAULTS: Record<OAuthProviderName, ProviderDefaults> = {
  google: {
    flavor: 'oidc',
    issuer: 'https://accounts.google.com',
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    userinfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
    jwksUrl: 'https://www.googleapis.com/oauth2/v3/certs',
    scopes: ['openid', 'email', 'profile'],
    responseMode: 'query',
  },
  facebook: {
    flavor: 'oauth2',
    authorizationUrl: 'https://www.facebook.com/v19.0/dialog/oauth',
    tokenUrl: 'https://graph.facebook.com/v19.0/oauth/access_token',
    userinfoUrl: 'https://graph.facebook.com/me?fields=id,name,email',
    scopes: ['email', 'public_profile'],
    responseMode: 'query',
  },
  apple: {
    flavor: 'oidc',
    issuer: 'https://appleid.apple.com',
    authorizationUrl: 'https://appleid.apple.com/auth/authorize',
    tokenUrl: 'https://appleid.apple.com/auth/token',
    jwksUrl: 'https://appleid.apple.com/auth/keys',
    scopes: ['name', 'email'],
    responseMode: 'form_post',
  },
};

const KID = /^[A-Za-z0-9_-]{1,32}$/;
const MIN_SECRET_LENGTH = 32;

/** AUTH_JWT_KEYS as keys; undefined when empty. Throws ConfigError for a malformed value. */
export function parseSigningKeys(raw: string | undefined): SigningKey[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const what = `a comma-separated list of kid:secret pairs (kid of letters, digits, "-", "_"; secret of at least ${MIN_SECRET_LENGTH} characters)`;
  const keys = raw.split(',').map((pair) => {
    const colon = pair.indexOf(':');
    const kid = pair.slice(0, colon).trim();
    const secret = pair.slice(colon + 1).trim();
    if (colon < 1 || !KID.test(kid) || secret.length < MIN_SECRET_LENGTH)
      throw new ConfigError(`AUTH_JWT_KEYS must be ${what}`, { variable: 'AUTH_JWT_KEYS' });
    return { kid, secret: new TextEncoder().encode(secret) };
  });
  if (new Set(keys.map((key) => key.kid)).size !== keys.length) {
    throw new ConfigError('AUTH_JWT_KEYS must not repeat a kid', { variable: 'AUTH_JWT_KEYS' });
  }
  return keys;
}

const httpUrl = (name: string) => optionalUrl(name, ['http:', 'https:']);

function oauthVariables(provider: OAuthProviderName): Record<string, Variable<unknown>> {
  const upper = provider.toUpperCase();
  const defaults = PROVIDER_DEFAULTS[provider];
  const label = provider[0]?.toUpperCase() + provider.slice(1);
  const url = (suffix: string, doc: string, fallback: string | undefined): Variable<unknown> => ({
    name: `OAUTH_${upper}_${suffix}`,
    doc: `${label}: ${doc}`,
    commentedExample: fallback ?? '',
    parse: httpUrl(`OAUTH_${upper}_${suffix}`),
  });
  const variables: Record<string, Variable<unknown>> = {
    [`${provider}ClientId`]: {
      name: `OAUTH_${upper}_CLIENT_ID`,
      doc: `${label} sign-in: the OAuth client id. Unset: ${label} sign-in is off.`,
      commentedExample: '',
      parse: optionalText(`OAUTH_${upper}_CLIENT_ID`),
    },
    [`${provider}Issuer`]: url('ISSUER', 'issuer expected in id_tokens.', defaults.issuer),
    [`${provider}AuthorizationUrl`]: url('AUTHORIZATION_URL', 'authorization endpoint.', defaults.authorizationUrl),
    [`${provider}TokenUrl`]: url('TOKEN_URL', 'token endpoint.', defaults.tokenUrl),
    [`${provider}UserinfoUrl`]: url('USERINFO_URL', 'userinfo endpoint.', defaults.userinfoUrl),
    [`${provider}JwksUrl`]: url('JWKS_URL', 'JSON Web Key Set of its id_tokens.', defaults.jwksUrl),
  };
  if (provider === 'apple') {
    for (const [key, suffix, doc] of [
      ['appleTeamId', 'TEAM_ID', 'Apple developer team id (iss of the client secret JWT).'],
      ['appleKeyId', 'KEY_ID', 'id of the Sign in with Apple private key (kid of the client secret JWT).'],
      ['applePrivateKey', 'PRIVATE_KEY', 'the Sign in with Apple private key, PKCS#8 PEM (newlines as \\n).'],
    ] as const) {
      variables[key] = {
        name: `OAUTH_APPLE_${suffix}`,
        doc: `Apple: ${doc}`,
        commentedExample: '',
        parse: optionalText(`OAUTH_APPLE_${suffix}`),
      };
    }
  } else {
    variables[`${provider}ClientSecret`] = {
      name: `OAUTH_${upper}_CLIENT_SECRET`,
      doc: `${label}: the OAuth client secret.`,
      commentedExample: '',
      parse: optionalText(`OAUTH_${upper}_CLIENT_SECRET`),
    };
  }
  return variables;
}

export const accountVariables: Record<string, Variable<unknown>> = {
  appUrl: {
    name: 'APP_URL',
    doc: 'Public URL of the web app, used in mail links and OAuth redirects. Unset: http://localhost:<PORT>.',
    commentedExample: 'https://petamigos.example',
    parse: (raw: string | undefined, env: Env) => {
      const value = httpUrl('APP_URL')(raw) ?? `http://localhost:${env.PORT === undefined || env.PORT === '' ? '3000' : env.PORT}`;
      return value.replace(/\/+$/, '');
    },
  },
  signingKeys: {
    name: 'AUTH_JWT_KEYS',
    doc: 'Access-token signing keys, kid:secret[,kid:secret…]; the first signs, all verify (rotation). Unset: one is generated and kept in the database.',
    commentedExample: '2026-11:replace-with-at-least-32-random-characters',
    parse: parseSigningKeys,
  },
  smtpUrl: {
    name: 'SMTP_URL',
    doc: 'SMTP server for account mail, smtp://user:pass@host:587 or smtps://…:465. Unset: mails are written to DATA_DIR/mail as .eml files.',
    commentedExample: 'smtp://user:password@smtp.example:587',
    parse: optionalUrl('SMTP_URL', ['smtp:', 'smtps:']),
  },
  mailFrom: {
    name: 'MAIL_FROM',
    doc: 'Sender of account mail.',
    example: '"PetAmigos <no-reply@petamigos.localhost>"',
    parse: (raw: string | undefined) => {
      const value = text('MAIL_FROM', 'PetAmigos <no-reply@petamigos.localhost>')(raw).replace(/^"(.*)"$/, '$1');
      if (!/^[^<>]*<[^<>@\s]+@[^<>@\s]+>$|^[^<>@\s]+@[^<>@\s]+$/.test(value))
        throw expected('MAIL_FROM', 'an address, optionally as "Name <address>"', value);
      return value;
    },
  },
  accessTokenTtlSeconds: {
    name: 'AUTH_ACCESS_TOKEN_TTL_SECONDS',
    doc: 'How long an access token is valid; clients refresh it a minute before it expires.',
    example: '900',
    parse: integer('AUTH_ACCESS_TOKEN_TTL_SECONDS', 65, 86_400, 900),
  },
  trustProxy: {
    name: 'TRUST_PROXY',
    doc: 'Comma-separated addresses and CIDR ranges of the reverse proxies in front of the nodes (e.g. 127.0.0.1,10.0.0.0/8). X-Forwarded-For is read only from them; the client is its right-most address not in this list. Unset: the socket address, X-Forwarded-For ignored.',
    commentedExample: '127.0.0.1,::1,10.0.0.0/8',
    parse: parseTrustProxy,
  },
  ...Object.assign({}, ...OAUTH_PROVIDERS.map(oauthVariables)),
};

/** Builds the accounts section from the parsed values of accountVariables. */
export function accountsConfig(values: Record<string, unknown>): AccountsConfig {
  const oauth: OAuthProviderConfig[] = [];
  for (const name of OAUTH_PROVIDERS) {
    const clientId = values[`${name}ClientId`] as string | undefined;
    if (clientId === undefined) continue;
    const defaults = PROVIDER_DEFAULTS[name];
    const pick = (key: string, fallback: string | undefined) => (values[`${name}${key}`] as string | undefined) ?? fallback;
    let apple: OAuthProviderConfig['apple'];
    if (name === 'apple') {
      const [teamId, keyId, privateKey] = [values.appleTeamId, values.appleKeyId, values.applePrivateKey] as (string | undefined)[];
      if (teamId === undefined || keyId === undefined || privateKey === undefined) {
        throw new ConfigError(
          'OAUTH_APPLE_TEAM_ID, OAUTH_APPLE_KEY_ID and OAUTH_APPLE_PRIVATE_KEY must be set when OAUTH_APPLE_CLIENT_ID is set',
          {
            variable: 'OAUTH_APPLE_PRIVATE_KEY',
          },
        );
      }
      apple = { teamId, keyId, privateKey: privateKey.replaceAll('\\n', '\n') };
    }
    const clientSecret = values[`${name}ClientSecret`] as string | undefined;
    if (name !== 'apple' && clientSecret === undefined) {
      throw new ConfigError(`OAUTH_${name.toUpperCase()}_CLIENT_SECRET must be set when OAUTH_${name.toUpperCase()}_CLIENT_ID is set`, {
        variable: `OAUTH_${name.toUpperCase()}_CLIENT_SECRET`,
      });
    }
    oauth.push({
      name,
      flavor: defaults.flavor,
      clientId,
      clientSecret,
      issuer: pick('Issuer', defaults.issuer),
      authorizationUrl: pick('AuthorizationUrl', defaults.authorizationUrl) as string,
      tokenUrl: pick('TokenUrl', defaults.tokenUrl) as string,
      userinfoUrl: pick('UserinfoUrl', defaults.userinfoUrl),
      jwksUrl: pick('JwksUrl', defaults.jwksUrl),
      scopes: defaults.scopes,
      responseMode: defaults.responseMode,
      apple,
    });
  }
  return {
    appUrl: values.appUrl as string,
    signingKeys: values.signingKeys as SigningKey[] | undefined,
    smtpUrl: values.smtpUrl as string | undefined,
    mailFrom: values.mailFrom as string,
    trustProxy: new TrustedProxies(values.trustProxy as string[]),
    accessTokenTtlSeconds: values.accessTokenTtlSeconds as number,
    oauth,
  };
}
