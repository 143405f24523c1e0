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
  UNAUTHENTICATED: 'The token of an `auth` frame is not valid; the socket keeps its current identity.',
  RATE_LIMITED: 'Too many calls; `details.retryAfterMs` says when to try again.',
  TOO_MANY_IN_FLIGHT: 'The socket already has `limits.maxInFlight` calls awaiting replies.',
  TIMEOUT: 'The call did not finish within `limits.callTimeoutMs`; it may or may not have taken effect.',
  MAILBOX_FULL: 'The actor behind the call has too many messages waiting; it did not act. Retry after `details.retryAfterMs`.',
  ACTOR_UNAVAILABLE:
    'The actor behind the call is moving to another node (its node failed or stopped) or did not answer in time; the call may or may not have acted. Retry after `details.retryAfterMs` (see "Failover and retries" for which calls are safe to retry).',
  INTERNAL: 'The server failed; `details.errorId` is in the server log.',
} as const;
export type ProtocolErrorCode = keyof typeof ERROR_CODES;

/** `details.retryAfterMs` of the retryable actor errors: when to try the same call again. */
export const RETRY_AFTER_MS = { ACTOR_UNAVAILABLE: 1000, MAILBOX_FULL: 200 } as const;

/** Codes the calls themselves answer with (the same codes as the HTTP API where both exist). */
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
  MEDIA_NOT_READY: 'A media id given is still uploading or processing (or failed); attach it once `media.changed` says ready.',
  MEDIA_IN_USE:
    'The media is still shown somewhere (`details.usedBy`: post, pet, profile, conversation, message); remove it from there before deleting it.',
} as const;

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
  AUTH_FAILED: { code: 4003, meaning: 'The `hello` token is missing, invalid or for a session that has ended.' },
  TOKEN_EXPIRED: { code: 4004, meaning: 'The access token expired and no fresh one came in an `auth` frame; refresh it and reconnect.' },
  SESSION_REVOKED: { code: 4005, meaning: 'The user signed this session out (or it was revoked); sign in again.' },
  VERSION_UNSUPPORTED: { code: 4006, meaning: 'The `hello` named a protocol version this server does not speak.' },
  SLOW_CONSUMER: {
    code: 4008,
    meaning: 'The socket did not read, and its send buffer passed `limits.sendBufferBytes`; reconnect and resume.',
  },
  FLOODING: { code: 4009, meaning: 'The client kept sending after being rate limited.' },
  TOO_MANY_SOCKETS: {
    code: 4010,
    meaning: 'The user already has `limits.socketsPerUser` sockets open; the older ones stay. Close one before reconnecting.',
  },
} as const;
export type CloseReason = keyof typeof CLOSE_CODES;
