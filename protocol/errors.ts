// Error codes of `error` frames and close codes of the socket. Native clients switch on these;
// they never change meaning. Domain errors raised by calls keep their own codes (NOT_FOUND,
// CONFLICT codes such as EMAIL_TAKEN, …) and travel in the same `error` frame.

export const ERROR_CODES = {
  MALFORMED_FRAME: 'The frame is not one MessagePack map with a known `type`.',
  INVALID_FRAME: 'A field of the frame itself is missing or of the wrong type; `details.field` names it.',
  INVALID_BODY: 'The body of a call does not match its schema; `details.field` names the field.',
  UNKNOWN_CALL: 'No call has this `op`.',
  UNKNOWN_TOPIC: 'No topic has this name.',
  DUPLICATE_REF: 'A call or subscription with this `ref` is still in flight on this socket.',
  FORBIDDEN: 'The user may not make this call or subscribe to this topic.',
  SCOPE_DENIED:
    'The socket or request is authenticated by a personal API token whose scopes do not cover this call, topic or endpoint (`details.needed`: the scope it needs, or `never`: only a signed-in session may). Nothing was done.',
  UNAUTHENTICATED: 'The token of an `auth` frame is not valid; the socket keeps its current identity.',
  RATE_LIMITED: 'Too many calls; `details.retryAfterMs` says when to try again.',
  TOO_MANY_IN_FLIGHT: 'The socket already has `limits.maxInFlight` requests awaiting replies.',
  TOO_MANY_SUBSCRIPTIONS:
    'Answering a `sub`: the socket already follows `limits.maxSubscriptions` topics (`details.maxSubscriptions`); `unsub` one first.',
  TIMEOUT: 'The call did not finish within `limits.callTimeoutMs`; it may or may not have taken effect.',
  MAILBOX_FULL: 'The actor behind the call has too many messages waiting; it did not act. Retry after `details.retryAfterMs`.',
  ACTOR_UNAVAILABLE:
    'The actor behind the call is moving to another node (its node failed or stopped) or did not answer in time; the call may or may not have acted. Retry after `details.retryAfterMs` (see "Failover and retries" for which calls are safe to retry).',
  INTERNAL: 'The server failed; `details.errorId` is in the server log.',
} as const;
export type ProtocolErrorCode = keyof typeof ERROR_CODES;

/** `details.retryAfterMs` of the retryable actor errors: when to try the same call again. */
export const RETRY_AFTER_MS = { ACTOR_UNAVAILABLE: 1000, MAILBOX_FULL: 200 } as const;

/**
 * Codes any call may be answered with, whatever it does: the gateway's own checks (body, rate,
 * refs in flight, role, time) and failures of the server or of the actor behind the call. They
 * are not repeated in each call's `errors`.
 */
export const COMMON_CALL_ERRORS = [
  'INVALID_BODY',
  'FORBIDDEN',
  'SCOPE_DENIED',
  'DUPLICATE_REF',
  'TOO_MANY_IN_FLIGHT',
  'RATE_LIMITED',
  'TIMEOUT',
  'MAILBOX_FULL',
  'ACTOR_UNAVAILABLE',
  'INTERNAL',
] as const satisfies readonly ProtocolErrorCode[];

/**
 * Codes the calls themselves answer with, and those of the HTTP API (the same code means the same
 * thing on both). Each call lists the ones it may answer in its catalogue entry (`errors`).
 */
export const DOMAIN_ERROR_CODES = {
  INVALID_INPUT:
    'A field passed its schema but breaks a rule of the call (a date in the future, an unknown time zone); `details.field` names it.',
  INVALID_CURSOR: 'The `cursor` is not one the server gave for this list.',
  NOT_FOUND: 'No such thing, or one the caller may not know exists (a block on either side hides users, their pets and lists).',
  REQUESTS_NOT_ALLOWED: "The user's settings refuse friend requests from the caller.",
  NOT_FOLLOWABLE: 'Only public profiles and business pages can be followed.',
  TOO_MANY_PETS: 'The user already has the most pets allowed.',
  PUSH_SERVICE_NOT_ALLOWED: 'The push subscription points at a host that is not a known push service.',
  MESSAGE_NOT_ALLOWED:
    'The recipient does not take messages from the caller: their `messages` setting, a declined message request, or a block.',
  EDIT_WINDOW_CLOSED: 'A message can be edited for 15 minutes after it was sent.',
  E2EE_REQUIRED:
    'End-to-end encryption of this conversation is on: send `encrypted` content, with `blob` attachments only (files encrypted on the device), or turn it off with `chats.encryption`; plaintext is never stored.',
  TOO_MANY_PINS: 'The group already has the most pinned messages allowed (50).',
  NOT_A_REQUEST: 'Only a message request can be declined.',
  GROUP_FULL: 'A group has at most 1,024 members.',
  LAST_ADMIN: 'A group keeps at least one admin; make someone else admin first.',
  ALREADY_IN_CALL: 'The caller is in another call; leave it first (`calls.leave`). Nothing changed.',
  NOT_RINGING: 'The call no longer rings the caller (answered on another device, declined or missed); a group call can still be joined.',
  CALL_ENDED: 'The call is over; nothing changed.',
  CALL_IN_PROGRESS:
    'The conversation already has a call in progress (`details.callId`): answer it with `calls.accept`, or `calls.join` a group call. Nothing was made.',
  ANSWERED_ELSEWHERE: 'Another device of the caller already answered or joined this call; only that device takes part.',
  SUPPORT_UNAVAILABLE:
    'This server has no helpdesk configured (Chatwoot), so support messages cannot reach the team; nothing was stored. `support.history` says `available: false`.',
  CALLS_UNAVAILABLE:
    'No media server (SFU) of the platform runs now, so no call can be placed or reached; nothing changed. `/health` of a node with the sfu role gives the reason. Try again later.',
  NOT_IN_CALL:
    'The media of a call is for the device in it: the caller is not in this call (answer it or join it first), or is in it from another socket. Nothing changed.',
  CALL_FULL: 'The call has the most people allowed (`details.limit`: 16 in a video call, 32 in a voice call); nothing changed.',
  PAYMENT_PROVIDER_ERROR:
    'The payment provider (`details.provider`) refused or failed the request; nothing was charged by this call. Try again later.',
  PAYMENT_METHOD_UNAVAILABLE: 'This deployment does not offer the payment method asked for (`details.method`); nothing was made.',
  PAYMENT_NOT_APPROVED: 'The buyer has not approved the payment at the provider yet (send them to `approveUrl`); nothing changed.',
  TOO_MANY_PENDING:
    'The user already has the most payments waiting for approval (`details.limit`); finish or abandon one first. Nothing was made.',
  PLAN_REQUIRED:
    'The feature needs a plan the caller does not have (`details.entitlement`; `details.plan`: the cheapest plan that has it); nothing changed. See subscriptions.plans.',
  ALREADY_SUBSCRIBED:
    'The caller already has a live subscription to this plan or a higher one (`details.plan`); cancel it, or choose a higher plan. Nothing was made.',
  NO_RECEIPT:
    'The payment has no receipt: only a payment that was completed has one (also once refunded or charged back); one waiting, failed or under review for fraud does not.',
  VERIFICATION_PENDING:
    'The caller already has a verification request waiting for an admin (`details.requestId`); nothing was made. `verification.status` shows it.',
  ALREADY_VERIFIED: 'The caller is verified already; nothing was made.',
  VERIFICATION_DECIDED:
    'The verification request was decided already (`details.status`: approved or rejected); nothing changed. (Staff routes.)',
  NOT_ENOUGH_TREATS:
    'The wallet holds fewer treats than the call spends (`details.balance`, `details.needed`); nothing moved. Buy a pack, or spend less.',
  REMIX_NOT_ALLOWED:
    'The reel cannot be remixed this way: its author turned duets or stitches off for it, or it is not public (only public reels can be dueted, stitched or have their sound used).',
  MEDIA_NOT_READY: 'A media id given is still uploading or processing (or failed); attach it once `media.changed` says ready.',
  MEDIA_IN_USE:
    'The media is still shown somewhere (`details.usedBy`: post, pet, profile, conversation, message, story); remove it from there before deleting it.',
  SESSION_REVOKED:
    'The sign-in session ended (signed out, revoked, or its account is gone); sign in again. A staff call gets it when the account no longer exists.',
  POLL_CLOSED: 'The poll closed (`closesAt` passed); votes are no longer taken.',
  POLL_GONE: 'The post no longer has its poll (it was edited away); nothing was voted.',
  TOO_DEEP: 'Comments nest at most 3 levels deep: answer the comment above instead.',
  COMMENT_DELETED: 'The comment answered was deleted; it takes no new answers.',
  TOO_MANY_SAVED_POSTS:
    'The user already has the most saved posts allowed (`details.limit`, the server’s SAVED_POSTS_MAX); unsave one first. Nothing was saved.',
  STORY_TOO_LONG:
    'A video story plays at most 60 s (`details.maxDurationMs`, `details.durationMs`): send `split: true` to cut it into clips of 60 s (10 at most), or a shorter video. Nothing was stored.',
  ALREADY_ANSWERED: 'The caller already voted in this poll or answered this question; answers do not change.',
  TOO_MANY_HIGHLIGHTS: 'The user already has the most highlights allowed (100, `details.limit`); delete one first. Nothing was saved.',
  TOO_MANY_MUTED: 'The user already muted the stories of the most people allowed (10,000, `details.limit`); nothing changed.',
  TOO_MANY_HIDDEN: 'The user already hides their stories from the most people allowed (10,000, `details.limit`); nothing changed.',
  TOO_LARGE: 'The file is larger than its kind allows (`details.field`: `size`, or the bytes sent beyond the size announced).',
  TOO_MANY_UPLOADS:
    'Too many of the user’s uploads are in one state (`details.state`: `uploading` when starting one, `processing` when completing one; `details.limit`).',
  QUOTA_EXCEEDED:
    'The upload would take the user past their storage quota (`details.usedBytes`, `details.quotaBytes`); nothing was stored.',
  UNSUPPORTED_MEDIA:
    'The bytes are not media of the kind announced (checked by content, never by name or declared type); nothing stays stored.',
  TOO_MANY_PIXELS: 'An image over the pixel limit (`details.maxPixels`, `width`, `height`, read from its header); nothing stays stored.',
  UPLOAD_INCOMPLETE: 'The upload is completed before all its announced bytes arrived (`details.field`); send the rest first.',
  UPLOAD_FINISHED: 'The upload was already completed; it takes no more bytes.',
  OFFSET_MISMATCH: 'A chunk was sent from another offset than where the upload stands; `GET` the upload to see where it is.',
  INVALID_CREDENTIALS: 'The login or the password is wrong (the same answer for an unknown account).',
  TOKEN_EXPIRED: 'The access token expired; refresh it.',
  TOKEN_INVALID: 'The access or refresh token is not one this server issued, or is malformed.',
  TOKEN_REVOKED: 'The personal API token was revoked by its owner; it never works again.',
  TOO_MANY_TOKENS:
    'The user already holds the most live personal API tokens allowed (`details.limit`); revoke one first. Nothing was made.',
  TOKEN_REUSED: 'A refresh token was used a second time: its session is revoked as a precaution; sign in again.',
  TOTP_REQUIRED: 'Two-factor authentication is on: repeat the request with the code of the authenticator app or a recovery code.',
  TOTP_INVALID: 'The two-factor code or recovery code is wrong.',
  REAUTH_REQUIRED:
    'A sensitive change needs the caller to prove again who they are (`details.method`: `password`, or `provider` with `details.providers`).',
  WEAK_PASSWORD:
    'The password breaks a rule: its length, at least 5 different characters, not one of the most common, not containing the username or the email’s name; `details.field` is `password`.',
  EMAIL_TAKEN: 'Another account has this email address.',
  USERNAME_TAKEN: 'Another account has this username.',
  EMAIL_ALREADY_VERIFIED: 'The email address is verified already.',
  ACCOUNT_GONE: 'The account the link or request was for no longer exists.',
  INVALID_TOKEN: 'A mailed link or one-time sign-in code is invalid, expired or already used.',
  TWO_FACTOR_ALREADY_ENABLED: 'Two-factor authentication is already on.',
  TWO_FACTOR_NOT_SET_UP: 'Two-factor authentication must be set up (`/auth/2fa/setup`) before it is turned on.',
  TWO_FACTOR_NOT_ENABLED: 'Two-factor authentication is off.',
  TOKEN_TRANSPORT_REQUIRED: 'A refresh token in the cookie is taken only with the `X-Token-Transport: cookie` header.',
  OAUTH_DENIED: 'The provider refused the sign-in, or sent no code.',
  OAUTH_STATE_INVALID: 'The provider sign-in expired, did not start in this browser, or its account is gone.',
  OAUTH_PROVIDER_ERROR: 'The provider answered wrongly; try again later.',
  OAUTH_EMAIL_REQUIRED: 'The provider did not share an email address, which an account needs.',
  OAUTH_LINK_REQUIRED: 'An account with this email exists: sign in to it, then link the provider in its settings.',
  OAUTH_ALREADY_LINKED: 'This provider account is linked to another account.',
  OAUTH_NOT_LINKED: 'This account does not sign in with that provider.',
  OAUTH_REAUTH_MISMATCH: 'The provider account that signed in is not the one linked to this account.',
  OAUTH_CONFLICT: 'The account was created at the same moment by another request; try again.',
  BODY_TOO_LARGE: 'The HTTP request body is over the limit of its endpoint (`details.limitBytes`).',
  UPGRADE_REQUIRED: '`GET /ws` without a WebSocket upgrade.',
  DEPENDENCY_UNAVAILABLE:
    'A backing service (database, bus, cache, storage, the geocoder of place names) could not be reached; retry later.',
} as const;
export type DomainErrorCode = keyof typeof DOMAIN_ERROR_CODES;

export const CLOSE_CODES = {
  NORMAL: { code: 1000, meaning: 'The client or server ended the session normally.' },
  GOING_AWAY: { code: 1001, meaning: 'The node is shutting down; reconnect (to any node) and resume.' },
  TEXT_FRAME: { code: 1003, meaning: 'A text frame was sent; the protocol is binary MessagePack only.' },
  ABNORMAL: {
    code: 1006,
    meaning:
      'The connection dropped without a close frame: the network, or the server dropping a socket that stopped reading (unsent data over `limits.sendBufferBytes`). Reconnect and resume.',
  },
  FRAME_TOO_LARGE: { code: 1009, meaning: 'A frame exceeded `limits.maxFrameBytes`.' },
  INTERNAL: { code: 1011, meaning: 'The server hit an unexpected error on this socket.' },
  HANDSHAKE_TIMEOUT: { code: 4000, meaning: 'No `hello` arrived within `limits.helloTimeoutMs` of connecting.' },
  HELLO_REQUIRED: { code: 4001, meaning: 'The first frame was not a valid `hello`.' },
  PROTOCOL_VIOLATION: { code: 4002, meaning: 'Too many malformed frames in a row.' },
  AUTH_FAILED: {
    code: 4003,
    meaning:
      'The `hello` token is missing, invalid or for a session that has ended; or a personal API token is revoked, or its user’s plan no longer includes personal tokens (checked on `hello`, and again at most every 30 s on a socket opened with one).',
  },
  TOKEN_EXPIRED: {
    code: 4004,
    meaning:
      'The access token expired and no fresh one came in an `auth` frame; refresh it and reconnect. A socket opened with a personal API token is closed so when the token expires.',
  },
  SESSION_REVOKED: {
    code: 4005,
    meaning:
      'The user signed this session out (or it was revoked), or revoked the personal API token the socket was opened with; sign in again.',
  },
  VERSION_UNSUPPORTED: { code: 4006, meaning: 'The `hello` named a protocol version this server does not speak.' },
  FLOODING: { code: 4009, meaning: 'The client kept sending after being rate limited.' },
  TOO_MANY_SOCKETS: {
    code: 4010,
    meaning: 'The user already has `limits.socketsPerUser` sockets open; the older ones stay. Close one before reconnecting.',
  },
} as const;
export type CloseReason = keyof typeof CLOSE_CODES;
