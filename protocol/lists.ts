// Closed lists of the social core, in a module with no dependencies: the catalogue builds its
// schemas from them, the database checks them, and the web client offers them without bundling
// the schema library.
export const VISIBILITIES = ['public', 'friends', 'close_friends', 'private'] as const;
export const REACTIONS = ['like', 'love', 'haha', 'wow', 'sad', 'angry'] as const;
export const REPORT_REASONS = [
  'spam',
  'harassment',
  'hate',
  'violence',
  'animal_cruelty',
  'nudity',
  'misinformation',
  'scam',
  'other',
] as const;

// How far a suggested person is, in bands (friends.suggestions), nearest first; each band is
// below its `upToKm` and at or above the previous one's. Nothing finer is ever sent.
export const DISTANCE_BANDS = [
  { band: '0-1km', upToKm: 1 },
  { band: '1-5km', upToKm: 5 },
  { band: '5-10km', upToKm: 10 },
  { band: '10-25km', upToKm: 25 },
  { band: '25-50km', upToKm: 50 },
] as const;
export type DistanceBand = (typeof DISTANCE_BANDS)[number]['band'];

// The messenger's limits, shared by the server's checks, the catalogue and the web client.
export const CHAT_LIMITS = {
  /** Members of a group, the creator included. */
  groupMembers: 1024,
  /** Characters of a message's text (UTF-16 code units). */
  messageChars: 4000,
  /** Characters of a group's name. */
  groupNameChars: 80,
  /** Base64 characters of an encrypted message's ciphertext: its envelope holds the text (up to 3 bytes a character) and the keys of its files. */
  ciphertextChars: 24_000,
  /** People added in one call. */
  addAtOnce: 100,
  /** Media attached to one message. */
  attachments: 10,
  /** Pinned messages per group. */
  pins: 50,
  /** A message may be edited for this long after it was sent. */
  editWindowMs: 15 * 60_000,
  /** Messages per page of history. */
  historyPage: 50,
} as const;

// How a call ended (calls.*, and the conversation's system message about it).
export const CALL_END_REASONS = ['completed', 'missed', 'declined', 'busy', 'cancelled', 'failed'] as const;

// Calls' limits (calls.*), shared by the server's checks, the catalogue and the web client.
export const CALL_LIMITS = {
  /** People in a video call at once (CALL_FULL beyond): the SFU forwards every video to every other. */
  videoParticipants: 16,
  /** People in a voice call at once (CALL_FULL beyond). */
  audioParticipants: 32,
  /** Calls of a page of history, at most. */
  historyPage: 50,
  /** Calls of a page of history when `limit` is not given. */
  historyDefault: 20,
} as const;

// The bounds of a call's media signalling (WebRTC parameters as mediasoup-client and libwebrtc
// write them, with room to spare; anything larger is INVALID_BODY).
export const CALL_MEDIA_LIMITS = {
  /** Codecs in one RTP parameters or capabilities object. */
  codecs: 32,
  /** Header extensions in one RTP parameters or capabilities object. */
  headerExtensions: 32,
  /** Encodings of one producer: simulcast layers. */
  encodings: 4,
  /** Entries of a codec's or header extension's `parameters`. */
  parameters: 16,
  /** RTCP feedback entries of a codec. */
  rtcpFeedback: 16,
  /** DTLS fingerprints of a transport. */
  fingerprints: 8,
  /** Producers one participant may have at once: microphone, camera, screen and its sound. */
  producersPerParticipant: 4,
  /** What one participant may send at most into a send transport, in bits per second. */
  maxIncomingBitrate: 3_000_000,
} as const;

// The media pipeline's limits (uploads over HTTP; see PROTOCOL.md, "Media").
export const MEDIA_LIMITS = {
  image: { bytes: 20 * 1024 * 1024 },
  video: { bytes: 500 * 1024 * 1024 },
  voice: { bytes: 20 * 1024 * 1024, maxDurationMs: 15 * 60_000 },
  /** Reels, per the product plan: videos of 15 s to 10 min (checked when processed). */
  reel: { bytes: 500 * 1024 * 1024, minDurationMs: 15_000, maxDurationMs: 10 * 60_000 },
  /** A file encrypted on the device for an end-to-end encrypted conversation: stored as it comes, never decoded (a photo, a short video or a voice note, with its 16-byte tag). */
  blob: { bytes: 25 * 1024 * 1024 },
  /** A resumable upload sends chunks of at most this many bytes (the last one smaller). */
  chunkBytes: 8 * 1024 * 1024,
} as const;

/** A profile counts its posts up to this many (profile.get `posts`; this many means at least). */
export const PROFILE_POSTS_COUNT_CAP = 10_000;

// Stories (stories.*): who may see one, and the limits of what one holds.
export const STORY_AUDIENCES = ['public', 'friends', 'close_friends'] as const;
export const STORY_COLORS = ['white', 'black', 'red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink'] as const;
export const STORY_LIMITS = {
  /** A video story plays at most this long; a longer video is refused, or cut into clips of this length (`split`). */
  videoMs: 60_000,
  /** Clips one video may be cut into (a split video of more is refused: TOO_LONG). */
  clips: 10,
  /** Text overlays on one story. */
  overlays: 10,
  /** Characters of one overlay's text (UTF-16 code units). */
  overlayChars: 200,
  /** People mentioned (@username in overlays) on one story. */
  mentions: 20,
  /** Characters of a poll's question or a question sticker's prompt. */
  promptChars: 120,
  /** Options of a poll sticker. */
  pollOptions: { min: 2, max: 4 },
  /** Characters of one poll option. */
  optionChars: 40,
  /** Characters of an answer to a question sticker. */
  answerChars: 300,
  /** People on the "hide my story from" list. */
  hidden: 10_000,
  /** People whose stories one user muted. */
  muted: 10_000,
  /** Highlights on one profile. */
  highlights: 100,
  /** Stories in one highlight. */
  highlightStories: 100,
  /** Characters of a highlight's title. */
  highlightTitleChars: 40,
} as const;

// Reels (reels.*): vertical videos with their own player, feed and counters. A reel is a post
// (its caption the post's text; reactions, comments, saves and shares are the post's).
export const REEL_AUDIENCES = ['public', 'friends'] as const;
/** Where a reel was watched from, as the client reports it (reels.watch): analytics split views by it. */
export const REEL_SOURCES = ['for_you', 'following', 'profile', 'hashtag', 'sound', 'link'] as const;
/** What the interaction log (reel_interactions) records, as the seed lists it plus save, "not interested" and skip. */
export const REEL_INTERACTIONS = ['view', 'like', 'share', 'comment', 'save', 'not_interested', 'skip'] as const;
export const REEL_LIMITS = {
  /** Characters of a caption (UTF-16 code units), as a post's text. */
  captionChars: 2200,
  /** A view counts once per viewer, once they watched this long or half the reel, whichever is shorter. */
  viewAfterMs: 2_000,
  /** Reels reported in one reels.watch batch. */
  watchBatch: 50,
  /** Milliseconds of watching one item of a batch may report (a batch covers at most this much). */
  watchItemMs: 10 * 60_000,
  /** Watch time counted per viewer and reel is capped at this many plays of it (replays count, loops do not inflate). */
  watchPlays: 5,
  /** reels.watch batches one user may send a minute (RATE_LIMITED beyond). */
  watchBatchesPerMinute: 60,
  /** reels.compose calls one user may make an hour (RATE_LIMITED beyond): each is a transcode. */
  composePerHour: 30,
  /** A stitch takes at most this much of the original… */
  stitchMaxMs: 5_000,
  /** …and at least this much. */
  stitchMinMs: 1_000,
  /** A trimmed clip keeps at least this much. */
  trimMinMs: 1_000,
  /** Characters of an original sound's title. */
  soundTitleChars: 60,
  /** Sounds listed by sounds.trending… */
  trendingSounds: 20,
  /** …counting the reels made with them in this many days. */
  trendingDays: 7,
} as const;
// A creator's analytics of their reels (reels.analytics, reels.creatorAnalytics).
export const REEL_ANALYTICS_LIMITS = {
  /** Days of the daily series when the call names none. */
  defaultDays: 28,
  /** The most days a series may cover (a longer window is INVALID_BODY). */
  maxDays: 90,
  /** Languages and countries listed by name; the rest are summed as `other`. */
  audienceTop: 10,
  /** Reels listed among the creator's top reels of the window. */
  topReels: 10,
  /** Characters of a top reel's caption sent with it. */
  captionChars: 100,
  /** Analytics calls one user may make a minute (RATE_LIMITED beyond): each one aggregates on demand. */
  readsPerMinute: 30,
} as const;

// Treats (treats.*): the platform's virtual currency, kept in a double-entry ledger. A person has a
// wallet (treats bought and granted, which they spend) and, apart from it, what they earned (their
// share of the treats others spent on them, the seed's 70/30).
export const TREAT_ACCOUNT_KINDS = ['wallet', 'earned', 'platform_sales', 'platform_grants', 'platform_fees'] as const;
/** What moves treats: buying a pack, a plan's monthly allowance, spending on someone (a tip), and undoing one. */
export const TREAT_TRANSFER_KINDS = ['purchase', 'allowance', 'tip', 'reversal'] as const;
export const TREAT_LIMITS = {
  /** Percent of treats spent on a person that they earn; the platform keeps the rest (rounded in the person's favour). */
  creatorSharePercent: 70,
  /** The most treats one tip may carry. */
  maxTip: 10_000,
  /** Tips one person may send a minute (RATE_LIMITED beyond). */
  tipsPerMinute: 30,
  /** Characters of the note sent with a tip. */
  tipNoteChars: 140,
  /** Entries per page of treats.history. */
  historyPage: 30,
} as const;

// Payments (payments.*): what can be bought, in which currencies, by which methods. Prices are in
// minor units (cents, centavos) per currency: never floating point.
export const CURRENCIES = ['USD', 'MXN'] as const;
export const PAYMENT_METHODS = ['paypal', 'mercadopago', 'spei'] as const;
/**
 * Where a payment stands: `created` (waiting for the buyer to approve it), `completed` (paid and
 * granted; partly refunded ones too), `failed` (refused or abandoned), `fraud_suspected` (the
 * provider reported an amount or currency other than the one asked for: nothing granted, an admin
 * looks at it), `refunded` (all of it given back), `reversed` (taken back by the buyer's bank or
 * PayPal: a chargeback).
 */
export const PAYMENT_STATUSES = ['created', 'completed', 'failed', 'fraud_suspected', 'refunded', 'reversed'] as const;
/** Packs of treats: how many treats, and the price of each in each currency. */
export const TREAT_PACKS = {
  treats_100: { treats: 100, prices: { USD: 99, MXN: 1900 } },
  treats_550: { treats: 550, prices: { USD: 499, MXN: 9900 } },
  treats_1200: { treats: 1200, prices: { USD: 999, MXN: 19900 } },
} as const;
// Plans (subscriptions.*): what a month of each costs in each currency (minor units; free costs
// nothing and needs no subscription) and what it entitles to. Each plan has everything the one
// before it has: the seed's table (section 9).
export const PLAN_IDS = ['free', 'basic', 'premium', 'pro'] as const;
/** The plans that are paid for, by subscription. */
export const PAID_PLAN_IDS = ['basic', 'premium', 'pro'] as const;
/** What a plan may give: each feature that depends on one checks it by one of these names. */
export const ENTITLEMENTS = ['adFree', 'verification', 'badges', 'creatorAnalytics', 'prioritySupport', 'apiTokens'] as const;
export const PLANS = {
  free: { prices: { USD: 0, MXN: 0 }, monthlyTreats: 50, entitlements: [] },
  basic: { prices: { USD: 499, MXN: 9900 }, monthlyTreats: 100, entitlements: ['adFree'] },
  premium: {
    prices: { USD: 999, MXN: 19900 },
    monthlyTreats: 100,
    entitlements: ['adFree', 'verification', 'badges', 'creatorAnalytics'],
  },
  pro: {
    prices: { USD: 1999, MXN: 39900 },
    monthlyTreats: 100,
    entitlements: ['adFree', 'verification', 'badges', 'creatorAnalytics', 'prioritySupport', 'apiTokens'],
  },
} as const satisfies Record<
  (typeof PLAN_IDS)[number],
  { prices: Record<(typeof CURRENCIES)[number], number>; monthlyTreats: number; entitlements: readonly (typeof ENTITLEMENTS)[number][] }
>;
/**
 * Where a subscription stands: `pending` (waiting for the buyer's approval or first payment),
 * `active` (paid up to `currentPeriodEnd`), `past_due` (its renewal not paid: the plan still holds
 * through the grace period), `canceled` (ended at the end of a period it was cancelled for, or by a
 * full refund), `expired` (never paid, or unpaid past its grace), `replaced` (ended early by a
 * subscription to another plan).
 */
export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'past_due', 'canceled', 'expired', 'replaced'] as const;
/**
 * Where the unused part of a replaced subscription's month stands (a change to a higher plan gives it
 * back): `pending` (being refunded through the provider that took the money, retried until it is),
 * `refunded` (given back), `owed` (SPEI, or a provider that kept refusing: staff send it back by
 * transfer and record it as a refund of the payment).
 */
export const PRORATION_STATUSES = ['pending', 'refunded', 'owed'] as const;
export const SUBSCRIPTION_LIMITS = {
  /** Days a plan still holds after a renewal that was not paid (then it expires: back to free). */
  graceDays: 3,
  /** SPEI renews by hand: days before a period ends when the next transfer's instructions are sent. */
  reminderDays: 5,
  /** Days a subscription may wait for its first payment before it expires. */
  pendingDays: 3,
  /** subscriptions.checkout calls one user may make an hour (RATE_LIMITED beyond). */
  checkoutsPerHour: 10,
  /** subscriptions.sync calls one user may make a minute (RATE_LIMITED beyond): each asks the provider. */
  syncsPerMinute: 20,
} as const;
export const PAYMENT_LIMITS = {
  /** Checkouts one user may start an hour (RATE_LIMITED beyond): each one opens an order with a provider. */
  checkoutsPerHour: 10,
  /** Payments one user may have waiting for approval at once (TOO_MANY_PENDING beyond). */
  pending: 5,
  /** Payments per page of payments.list. */
  page: 20,
  /** payments.capture calls one user may make a minute (RATE_LIMITED beyond): each asks the provider. */
  capturesPerMinute: 20,
} as const;

// Personal API tokens (tokens.*), a Pro entitlement: scoped, revocable credentials for scripts and
// tools, accepted by the HTTP API and the WebSocket wherever an access token is. Which scope each
// call needs is decided in protocol/scopes.ts.
/**
 * What a personal token may do: `read` (calls that change nothing), `write` (calls that change
 * the person's things, messages aside), `chats` (everything in conversations: reading and sending
 * messages). A call needs exactly one of them; security and money calls need a signed-in session.
 */
export const API_TOKEN_SCOPES = ['read', 'write', 'chats'] as const;
export const API_TOKEN_LIMITS = {
  /** Characters of a token's name. */
  nameChars: 64,
  /** Tokens one person may hold at once, revoked and expired ones not counted (TOO_MANY_TOKENS beyond). */
  live: 10,
  /** The longest a token may be made to last, in days (none given: until revoked). */
  maxExpiresInDays: 365,
  /** tokens.create calls one person may make an hour (RATE_LIMITED beyond). */
  createsPerHour: 20,
  /** A token's `lastUsedAt` moves at most this often. */
  lastUsedEveryMs: 60_000,
  /** How long a node trusts that a token's person still has a plan with personal tokens before it asks again. */
  planCheckMs: 30_000,
} as const;
/** How a personal token's secret starts, so it is recognisable (in logs, in secret scanners). */
export const API_TOKEN_PREFIX = 'pat_';
// Verification (verification.*): what an account says it is when it asks for the verified mark
// (a Premium or Pro feature, decided by an admin), and the marks a person's name carries.
export const VERIFICATION_CATEGORIES = ['creator', 'shelter', 'vet', 'breeder', 'business'] as const;
/** Where a request stands: waiting for an admin, approved (the person is verified), or rejected with a reason. */
export const VERIFICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const VERIFICATION_LIMITS = {
  /** Characters of the note to the admins. */
  noteChars: 500,
  /** Links (https) to pages that show who the person is. */
  links: 3,
  /** Characters of one link. */
  linkChars: 300,
  /** Characters of a rejection's reason. */
  reasonChars: 500,
  /** Pending requests per page of the admins' queue. */
  page: 50,
} as const;
/**
 * Marks shown next to a name: `verified` (an admin verified the person; when that came from a
 * request, only while their plan has `verification`), and the plan's own (`premium`, `pro`) for
 * plans with `badges`.
 */
export const BADGES = ['verified', 'premium', 'pro'] as const;
// Support (support.*): a person's conversation with the PetAmigos team, answered by people in
// Chatwoot; on a plan with `prioritySupport` (Pro) it is marked priority there.
/** `open`: the team sees it and answers; `closed`: the person or an agent ended it (the next message opens another). */
export const SUPPORT_STATUSES = ['open', 'closed'] as const;
/** Who wrote a message: the person, or an agent of the team. */
export const SUPPORT_AUTHORS = ['user', 'agent'] as const;
export const SUPPORT_LIMITS = {
  /** Characters of one message. */
  textChars: 2000,
  /** support.send calls one person may make an hour (RATE_LIMITED beyond). */
  messagesPerHour: 30,
  /** Conversations open at once per person: a message goes into the open one, or opens it. */
  openConversations: 1,
  /** Messages per page of support.history. */
  page: 50,
} as const;

/**
 * Notification types delivered by web push only, while the user has no session open (the app
 * shows messages and rings calls itself): their in-app and email channels stay off.
 */
export const PUSH_ONLY_TYPES = ['chat.message', 'call.incoming'] as const;
