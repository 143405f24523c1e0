// The README's table of limits, written from the values the code uses: a variable's default from
// its declaration in platform/config.ts, a fixed limit from the constant that enforces it. The
// README holds the table between `<!-- limits:begin -->` and `<!-- limits:end -->`;
// `bun scripts/limits-table.ts` rewrites it and server/ops/limits.test.ts fails when it differs.
import { VIDEO_MAX_FRAME_PIXELS } from '../../media/video.ts';
import {
  API_TOKEN_LIMITS,
  CALL_LIMITS,
  CALL_MEDIA_LIMITS,
  MEDIA_LIMITS,
  REEL_ANALYTICS_LIMITS,
  REEL_LIMITS,
  STORY_LIMITS,
  SUPPORT_LIMITS,
} from '../../protocol/lists.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_DISTINCT, PASSWORD_MIN_LENGTH } from '../accounts/passwords.ts';
import { LIMITS, type Limit, LOCKOUT_MS } from '../accounts/rate-limits.ts';
import { REFRESH_TOKEN_TTL_MS } from '../accounts/sessions.ts';
import { DEFAULT_LIMITS } from '../gateway/limits.ts';
import { JSON_BODY_LIMIT_BYTES } from '../http/body.ts';
import { allVariables } from '../platform/config.ts';

export const LIMITS_BEGIN = '<!-- limits:begin -->';
export const LIMITS_END = '<!-- limits:end -->';

interface Row {
  what: string;
  value: string;
  /** The variable that changes it, or where the fixed value lives. */
  set: string;
}

/** A variable's default, as a node without it set uses it. */
function byDefault(name: string): number {
  const variable = allVariables().find((candidate) => candidate.name === name);
  if (variable === undefined) throw new Error(`limits: no variable ${name}`);
  const value = variable.parse(undefined, {});
  if (typeof value !== 'number') throw new Error(`limits: ${name} has no numeric default`);
  return value;
}

const number = (value: number) => value.toLocaleString('en-US');

function duration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units)
    if (ms % size === 0) {
      const count = ms / size;
      if (count === 1) return `1 ${unit === 'min' ? 'minute' : unit === 's' ? 'second' : unit}`;
      return unit === 'day' || unit === 'hour' ? `${count} ${unit}s` : `${count} ${unit}`;
    }
  return `${ms} ms`;
}

function bytes(value: number): string {
  for (const [size, unit] of [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ] as const)
    if (value % size === 0) return `${value / size} ${unit}`;
  return `${number(value)} bytes`;
}

const per = (max: number, windowMs: number) => `${number(max)} per ${duration(windowMs).replace(/^1 /, '')}`;
const attempts = (limit: Limit) => per(limit.max, limit.windowMs);
const variable = (name: string) => `\`${name}\``;
const fixed = (where: string) => `fixed (\`${where}\`)`;

function rows(): Row[] {
  const gateway = 'server/gateway/limits.ts';
  const accounts = 'server/accounts/rate-limits.ts';
  return [
    { what: 'registrations per client address (`RATE_LIMITED`, 429)', value: attempts(LIMITS.registerPerIp), set: fixed(accounts) },
    { what: 'login attempts per client address', value: attempts(LIMITS.loginPerIp), set: fixed(accounts) },
    {
      what: 'failed logins of an account from clients without its device cookie; the last one locks it for them and mails the owner',
      value: `${attempts(LIMITS.loginPerAccount)}; locked ${duration(LOCKOUT_MS)}`,
      set: fixed(accounts),
    },
    {
      what: 'failed logins from one signed-in-before device (its `device` cookie)',
      value: attempts(LIMITS.loginPerDevice),
      set: fixed(accounts),
    },
    { what: 'two-factor codes tried per account', value: attempts(LIMITS.twoFactorPerAccount), set: fixed(accounts) },
    {
      what: 'current-password confirmations per account (re-authentication)',
      value: attempts(LIMITS.reauthPerAccount),
      set: fixed(accounts),
    },
    {
      what: 'password-reset and verification-resend requests per client address',
      value: attempts(LIMITS.forgotPerIp),
      set: fixed(accounts),
    },
    { what: 'password-reset mails per address', value: attempts(LIMITS.forgotPerAccount), set: fixed(accounts) },
    { what: 'verification mails per account or address', value: attempts(LIMITS.resendPerAccount), set: fixed(accounts) },
    {
      what: 'password length (characters); different characters in it',
      value: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH}; at least ${PASSWORD_MIN_DISTINCT}`,
      set: fixed('server/accounts/passwords.ts'),
    },
    {
      what: 'access token lifetime; refresh token lifetime',
      value: `${duration(byDefault('AUTH_ACCESS_TOKEN_TTL_SECONDS') * 1000)}; ${duration(REFRESH_TOKEN_TTL_MS)}`,
      set: `${variable('AUTH_ACCESS_TOKEN_TTL_SECONDS')}; ${fixed('server/accounts/sessions.ts')}`,
    },
    { what: 'JSON request body (`BODY_TOO_LARGE`, 413)', value: bytes(JSON_BODY_LIMIT_BYTES), set: fixed('server/http/body.ts') },
    {
      what: 'one WebSocket frame (the socket is closed with `FRAME_TOO_LARGE`, 1009)',
      value: bytes(DEFAULT_LIMITS.maxFrameBytes),
      set: fixed(gateway),
    },
    {
      what: 'calls per second per socket, and the burst saved up (`RATE_LIMITED` with `retryAfterMs`)',
      value: `${number(byDefault('WS_CALLS_PER_SECOND'))}; burst ${number(byDefault('WS_CALL_BURST'))}`,
      set: `${variable('WS_CALLS_PER_SECOND')}, ${variable('WS_CALL_BURST')}`,
    },
    {
      what: 'calls per second per user, over all their sockets and nodes',
      value: number(byDefault('WS_USER_CALLS_PER_SECOND')),
      set: variable('WS_USER_CALLS_PER_SECOND'),
    },
    {
      what: 'rate-limited calls in a row before the socket is closed (`FLOODING`)',
      value: number(DEFAULT_LIMITS.maxRateLimitedInARow),
      set: fixed(gateway),
    },
    { what: 'calls in flight per socket', value: number(DEFAULT_LIMITS.maxInFlight), set: fixed(gateway) },
    { what: 'a call without an answer ends with `TIMEOUT` after', value: duration(DEFAULT_LIMITS.callTimeoutMs), set: fixed(gateway) },
    {
      what: 'malformed frames in a row before the socket is closed (`PROTOCOL_VIOLATION`)',
      value: number(DEFAULT_LIMITS.maxMalformedInARow),
      set: fixed(gateway),
    },
    {
      what: 'sockets per user, over every node (the newest beyond is closed with `TOO_MANY_SOCKETS`)',
      value: number(byDefault('WS_SOCKETS_PER_USER')),
      set: variable('WS_SOCKETS_PER_USER'),
    },
    {
      what: 'sockets per client address waiting for their hello, per node (HTTP 429 beyond)',
      value: number(byDefault('WS_PENDING_SOCKETS_PER_ADDRESS')),
      set: variable('WS_PENDING_SOCKETS_PER_ADDRESS'),
    },
    { what: 'time to send the hello (`HANDSHAKE_TIMEOUT`)', value: duration(DEFAULT_LIMITS.helloTimeoutMs), set: fixed(gateway) },
    {
      what: 'subscriptions per socket (`TOO_MANY_SUBSCRIPTIONS` beyond)',
      value: number(DEFAULT_LIMITS.maxSubscriptions),
      set: fixed(gateway),
    },
    {
      what: 'nesting of maps and arrays in a frame, its own map counting 1 (`MALFORMED_FRAME`, reason `too deep`, beyond)',
      value: number(DEFAULT_LIMITS.maxDepth),
      set: fixed(gateway),
    },
    { what: 'events kept per topic for resume', value: number(DEFAULT_LIMITS.retainedEventsPerTopic), set: fixed(gateway) },
    {
      what: "a socket's unsent bytes before it is dropped (no close frame: clients see 1006 and resume)",
      value: bytes(DEFAULT_LIMITS.sendBufferBytes),
      set: fixed(gateway),
    },
    {
      what: 'live personal API tokens per user (`TOO_MANY_TOKENS` beyond)',
      value: number(API_TOKEN_LIMITS.live),
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'personal API tokens made per user',
      value: per(API_TOKEN_LIMITS.createsPerHour, 3_600_000),
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'how long a node trusts that a personal token’s owner is still on Pro (and re-checks sockets opened with tokens)',
      value: duration(API_TOKEN_LIMITS.planCheckMs),
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'support messages sent per user (`support.send`; a retry with the same clientId does not count)',
      value: per(SUPPORT_LIMITS.messagesPerHour, 3_600_000),
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'characters of one support message',
      value: number(SUPPORT_LIMITS.textChars),
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'support conversations open per user (a message goes into the open one)',
      value: number(SUPPORT_LIMITS.openConversations),
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'friend requests sent per user',
      value: per(byDefault('FRIEND_REQUESTS_PER_HOUR'), 3_600_000),
      set: variable('FRIEND_REQUESTS_PER_HOUR'),
    },
    {
      what: 'chat messages (and encryption switches) sent per user',
      value: per(byDefault('CHAT_MESSAGES_PER_MINUTE'), 60_000),
      set: variable('CHAT_MESSAGES_PER_MINUTE'),
    },
    {
      what: 'calls started per user (`calls.start`; a retry with the same clientId does not count)',
      value: per(byDefault('CALLS_PER_HOUR'), 3_600_000),
      set: variable('CALLS_PER_HOUR'),
    },
    {
      what: 'how long a call rings before the callee missed it (a one-to-one call then ends `missed`)',
      value: duration(byDefault('CALL_RING_SECONDS') * 1000),
      set: variable('CALL_RING_SECONDS'),
    },
    {
      what: 'people in a call at once: video; voice only (`CALL_FULL` beyond)',
      value: `${CALL_LIMITS.videoParticipants}; ${CALL_LIMITS.audioParticipants}`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'calls per page of `calls.history`',
      value: number(CALL_LIMITS.historyPage),
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'times one person is rung, whoever calls (then a one-to-one call to them is `RATE_LIMITED`; a group does not ring them)',
      value: per(byDefault('CALL_RINGS_PER_HOUR'), 3_600_000),
      set: variable('CALL_RINGS_PER_HOUR'),
    },
    {
      what: 'times one person joins or answers one call (`calls.join`, `calls.accept`; `RATE_LIMITED` beyond)',
      value: per(byDefault('CALL_JOINS_PER_MINUTE'), 60_000),
      set: variable('CALL_JOINS_PER_MINUTE'),
    },
    {
      what: 'members of a group a call rings (those who read it most recently; the others may join)',
      value: number(byDefault('CALL_RING_MEMBERS')),
      set: variable('CALL_RING_MEMBERS'),
    },
    {
      what: 'how long someone whose device in a call went away stays in it, for a device to come back',
      value: duration(byDefault('CALL_RECONNECT_SECONDS') * 1000),
      set: variable('CALL_RECONNECT_SECONDS'),
    },
    {
      what: 'how long a call lasts at most from its answer (it then ends `completed`)',
      value: duration(byDefault('CALL_MAX_SECONDS') * 1000),
      set: variable('CALL_MAX_SECONDS'),
    },
    {
      what: 'a call participant’s media: producers (one per source); simulcast layers; what one sends in all',
      value: `${CALL_MEDIA_LIMITS.producersPerParticipant}; ${CALL_MEDIA_LIMITS.encodings}; ${CALL_MEDIA_LIMITS.maxIncomingBitrate / 1_000_000} Mbit/s`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'new locations set per user',
      value: per(byDefault('LOCATION_CHANGES_PER_DAY'), 86_400_000),
      set: variable('LOCATION_CHANGES_PER_DAY'),
    },
    {
      what: 'reports sent per user (posts, comments, people)',
      value: per(byDefault('REPORTS_PER_HOUR'), 3_600_000),
      set: variable('REPORTS_PER_HOUR'),
    },
    {
      what: 'place searches and reverse lookups per user',
      value: per(byDefault('PLACE_LOOKUPS_PER_MINUTE'), 60_000),
      set: variable('PLACE_LOOKUPS_PER_MINUTE'),
    },
    {
      what: 'requests to the geocoder from the whole deployment (cache misses; a burst of twice as many)',
      value: per(byDefault('GEOCODER_REQUESTS_PER_SECOND'), 1000),
      set: variable('GEOCODER_REQUESTS_PER_SECOND'),
    },
    {
      what: 'saved posts per user (`TOO_MANY_SAVED_POSTS`; saved posts they can no longer see make room first)',
      value: number(byDefault('SAVED_POSTS_MAX')),
      set: variable('SAVED_POSTS_MAX'),
    },
    {
      what: 'stories posted per user (each 60 s clip of a split video counts)',
      value: per(byDefault('STORIES_PER_DAY'), 86_400_000),
      set: variable('STORIES_PER_DAY'),
    },
    {
      what: 'how long a story stays in trays and viewers; how often expired ones are cleaned up',
      value: `${duration(byDefault('STORY_LIFETIME_MS'))}; ${duration(byDefault('STORY_CLEANUP_EVERY_MS'))}`,
      set: `${variable('STORY_LIFETIME_MS')}, ${variable('STORY_CLEANUP_EVERY_MS')}`,
    },
    {
      what: 'a video story (`STORY_TOO_LONG`; `split` cuts it into clips of that length, at most this many)',
      value: `${duration(STORY_LIMITS.videoMs)}; ${STORY_LIMITS.clips} clips`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'a story: text overlays, characters each, people mentioned; poll options',
      value: `${STORY_LIMITS.overlays}, ${STORY_LIMITS.overlayChars}, ${STORY_LIMITS.mentions}; ${STORY_LIMITS.pollOptions.min} to ${STORY_LIMITS.pollOptions.max}`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'people a user hides their stories from (`TOO_MANY_HIDDEN`); highlights per user (`TOO_MANY_HIGHLIGHTS`), stories in one',
      value: `${number(STORY_LIMITS.hidden)}; ${STORY_LIMITS.highlights}, ${STORY_LIMITS.highlightStories}`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'a reel: caption characters; a view counts after (or half the reel, if shorter)',
      value: `${number(REEL_LIMITS.captionChars)}; ${duration(REEL_LIMITS.viewAfterMs)}`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'reels.watch: batches per user, items in one, watching one item may report; watch time counted per viewer and reel',
      value: `${per(REEL_LIMITS.watchBatchesPerMinute, 60_000)}, ${REEL_LIMITS.watchBatch}, ${duration(REEL_LIMITS.watchItemMs)}; ${REEL_LIMITS.watchPlays} plays`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: "reels.compose per user (a transcode each); a stitch takes of the original; a trimmed clip keeps at least; an original sound's title",
      value: `${per(REEL_LIMITS.composePerHour, 3_600_000)}; ${duration(REEL_LIMITS.stitchMinMs)} to ${duration(REEL_LIMITS.stitchMaxMs)}; ${duration(REEL_LIMITS.trimMinMs)}; ${REEL_LIMITS.soundTitleChars} characters`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'sounds.trending: sounds listed, counting reels made in the last',
      value: `${REEL_LIMITS.trendingSounds}; ${REEL_LIMITS.trendingDays} days`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'reel analytics calls per user; days a series covers by default, at most (`INVALID_BODY` beyond)',
      value: `${per(REEL_ANALYTICS_LIMITS.readsPerMinute, 60_000)}; ${REEL_ANALYTICS_LIMITS.defaultDays}, ${REEL_ANALYTICS_LIMITS.maxDays}`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'notification mails per recipient; the rest go in one digest, sent every',
      value: `${per(byDefault('MAIL_NOTIFICATIONS_PER_HOUR'), 3_600_000)}; ${duration(byDefault('MAIL_DIGEST_EVERY_MS'))}`,
      set: `${variable('MAIL_NOTIFICATIONS_PER_HOUR')}, ${variable('MAIL_DIGEST_EVERY_MS')}`,
    },
    {
      what: 'bytes of one upload, by kind (`TOO_LARGE`)',
      value: `image ${bytes(MEDIA_LIMITS.image.bytes)}, video and reel ${bytes(MEDIA_LIMITS.video.bytes)}, voice ${bytes(MEDIA_LIMITS.voice.bytes)}, blob ${bytes(MEDIA_LIMITS.blob.bytes)}`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'one chunk of a resumable upload; a one-request (multipart) upload',
      value: `${bytes(MEDIA_LIMITS.chunkBytes)}; ${bytes(MEDIA_LIMITS.image.bytes)}`,
      set: fixed('protocol/lists.ts'),
    },
    {
      what: 'pixels of an image, from its header, before decoding (`TOO_MANY_PIXELS`): the 48–50 MP photos of current phones; ~200 MB once decoded',
      value: `${number(byDefault('MEDIA_IMAGE_MAX_PIXELS'))}`,
      set: variable('MEDIA_IMAGE_MAX_PIXELS'),
    },
    {
      what: 'length of a video or reel, probed before transcoding; a reel at least; a voice note',
      value: `${duration(byDefault('MEDIA_VIDEO_MAX_DURATION_MS'))}; ${duration(MEDIA_LIMITS.reel.minDurationMs)}; ${duration(MEDIA_LIMITS.voice.maxDurationMs)}`,
      set: `${variable('MEDIA_VIDEO_MAX_DURATION_MS')}; ${fixed('protocol/lists.ts')}`,
    },
    { what: 'pixels of a video frame (8K)', value: number(VIDEO_MAX_FRAME_PIXELS), set: fixed('media/video.ts') },
    {
      what: 'one ffprobe run; one ffmpeg run (killed; the media FAILED, not retried)',
      value: `${duration(byDefault('MEDIA_PROBE_TIMEOUT_MS'))}; ${duration(byDefault('MEDIA_TRANSCODE_TIMEOUT_MS'))}`,
      set: `${variable('MEDIA_PROBE_TIMEOUT_MS')}, ${variable('MEDIA_TRANSCODE_TIMEOUT_MS')}`,
    },
    {
      what: 'uploads of a user started and not completed (`TOO_MANY_UPLOADS`)',
      value: number(byDefault('MEDIA_UPLOADS_PER_USER')),
      set: variable('MEDIA_UPLOADS_PER_USER'),
    },
    {
      what: 'media of a user processing at once (`TOO_MANY_UPLOADS` at complete)',
      value: number(byDefault('MEDIA_JOBS_PER_USER')),
      set: variable('MEDIA_JOBS_PER_USER'),
    },
    {
      what: "bytes of a user's stored media (`QUOTA_EXCEEDED`; `media.quota` shows it)",
      value: bytes(byDefault('MEDIA_QUOTA_BYTES')),
      set: variable('MEDIA_QUOTA_BYTES'),
    },
    {
      what: 'media jobs run at once on a node with the media role',
      value: number(byDefault('MEDIA_WORKERS')),
      set: variable('MEDIA_WORKERS'),
    },
  ];
}

/** The markdown table, as the README holds it between the markers. */
export function limitsTable(): string {
  const header: Row = { what: 'limit', value: 'default', set: 'changed by' };
  const all = [header, ...rows()];
  const widths = (['what', 'value', 'set'] as const).map((key) => Math.max(...all.map((row) => row[key].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`;
  return [
    line([header.what, header.value, header.set]),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows().map((row) => line([row.what, row.value, row.set])),
  ].join('\n');
}

/** `readme` with its limits table replaced by `limitsTable()`. */
export function withLimitsTable(readme: string): string {
  const begin = readme.indexOf(LIMITS_BEGIN);
  const end = readme.indexOf(LIMITS_END);
  if (begin < 0 || end < begin) throw new Error(`README.md: no ${LIMITS_BEGIN} … ${LIMITS_END} section`);
  return `${readme.slice(0, begin + LIMITS_BEGIN.length)}\n${limitsTable()}\n${readme.slice(end)}`;
}
