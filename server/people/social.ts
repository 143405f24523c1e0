// The social side of a node, assembled once: notifications (with web push), the graph, pets,
// posts with their comments, reactions, feed, saved posts and trends, and place names. Gateway
// handlers and tests reach every social operation through this.
import type { Reminders } from '../../actors/reminders.ts';
import type { ActorSystem } from '../../actors/system.ts';
import type { AccountsDeps } from '../accounts/context.ts';
import { RateLimiter } from '../accounts/rate-limits.ts';
import { Calls } from '../calls/calls.ts';
import { Chats, chatsShowMedia, conversationsUseMedia, messagesUseMedia } from '../chats/chats.ts';
import { Graph } from '../graph/graph.ts';
import type { Media } from '../media/media.ts';
import { MailDigest } from '../notifications/digest.ts';
import { Notifier } from '../notifications/notifier.ts';
import { loadVapidKeys, PushSender } from '../notifications/push.ts';
import type { PaymentsModule } from '../payments/index.ts';
import type { Payments } from '../payments/payments.ts';
import type { Subscriptions } from '../payments/subscriptions.ts';
import { Pets, petsShowMedia, petsUseMedia } from '../pets/pets.ts';
import { Places } from '../places/places.ts';
import type { Platform } from '../platform/index.ts';
import { Comments } from '../posts/comments.ts';
import { Feed } from '../posts/feed.ts';
import { Trends } from '../posts/hashtags.ts';
import { Posts } from '../posts/posts.ts';
import { Reactions } from '../posts/reactions.ts';
import { Saved } from '../posts/saved.ts';
import { postsShowMedia, postsUseMedia } from '../posts/visibility.ts';
import { CaptionVectors } from '../reels/captions.ts';
import { ReelVectors } from '../reels/collaborative.ts';
import { Composer } from '../reels/compose.ts';
import type { CaptionEmbedder } from '../reels/embedder.ts';
import { ForYou } from '../reels/foryou.ts';
import { Reels } from '../reels/reels.ts';
import { Sounds } from '../reels/sounds.ts';
import { StoryCleanup } from '../stories/cleanup.ts';
import { Highlights } from '../stories/highlights.ts';
import { Stories } from '../stories/stories.ts';
import { storiesShowMedia, storiesUseMedia } from '../stories/visibility.ts';
import type { Support } from '../support/support.ts';
import { Treats } from '../treats/treats.ts';
import { Verification } from '../verification/verification.ts';
import type { SocialDeps } from './context.ts';
import { profilesShowMedia, profilesUseMedia } from './profiles.ts';

export interface Social {
  deps: SocialDeps;
  notifier: Notifier;
  /** Started and stopped by the node, like the mail outbox. */
  digest: MailDigest;
  graph: Graph;
  pets: Pets;
  posts: Posts;
  comments: Comments;
  reactions: Reactions;
  feed: Feed;
  saved: Saved;
  trends: Trends;
  chats: Chats;
  calls: Calls;
  media: Media;
  places: Places;
  reels: Reels;
  sounds: Sounds;
  composer: Composer;
  forYou: ForYou;
  /** Started and stopped by the node, like the cleanup. */
  reelVectors: ReelVectors;
  /** Started and stopped by the node: re-embeds captions made by another embedder. */
  captionVectors: CaptionVectors;
  stories: Stories;
  highlights: Highlights;
  /** Started and stopped by the node, like the digest. */
  storyCleanup: StoryCleanup;
  treats: Treats;
  /** Made by the node before the HTTP app, which serves its webhooks. */
  payments: Payments;
  subscriptions: Subscriptions;
  verification: Verification;
  /** Made by the node before the HTTP app, which serves its webhook. */
  support: Support;
}

export async function createSocial(
  platform: Platform,
  accounts: AccountsDeps,
  actors: ActorSystem,
  media: Media,
  reminders: Reminders,
  captions: CaptionEmbedder,
  payments: PaymentsModule,
  support: Support,
): Promise<Social> {
  const db = platform.database.db;
  const keys = await loadVapidKeys(db, platform.config.webPush);
  const push = new PushSender(db, platform.log, platform.config.webPush, keys);
  const limiter = new RateLimiter(platform.cache);
  const { appUrl } = platform.config.accounts;
  const notifier = new Notifier({
    db,
    log: platform.log,
    actors,
    reminders,
    outbox: accounts.outbox,
    push,
    appUrl,
    limiter,
    mailsPerHour: platform.config.mail.notificationsPerHour,
  });
  const digest = new MailDigest({ db, log: platform.log, outbox: accounts.outbox, appUrl, everyMs: platform.config.mail.digestEveryMs });
  const deps: SocialDeps = {
    db,
    topics: platform.topics,
    log: platform.log,
    bus: platform.bus,
    actors,
    namespace: platform.config.clusterName,
    notifier,
    limiter,
    friendRequestsPerHour: platform.config.friendRequestsPerHour,
    locationChangesPerDay: platform.config.locationChangesPerDay,
    reportsPerHour: platform.config.reportsPerHour,
    savedPostsMax: platform.config.savedPostsMax,
    media,
    captions,
    entitlements: payments.entitlements,
  };
  // Who may see a media: its owner, and whoever may see something that shows it.
  media.showWith(profilesShowMedia, postsShowMedia, petsShowMedia, chatsShowMedia, storiesShowMedia);
  // What keeps a media from being deleted: anything that still shows it.
  media.useWith('post', postsUseMedia);
  media.useWith('pet', petsUseMedia);
  media.useWith('profile', profilesUseMedia);
  media.useWith('conversation', conversationsUseMedia);
  media.useWith('message', messagesUseMedia);
  media.useWith('story', storiesUseMedia);
  const trends = new Trends(platform.cache);
  const posts = new Posts(deps, trends);
  const comments = new Comments(deps, posts);
  const reels = new Reels(deps, posts);
  const sounds = new Sounds(deps, reels);
  const chats = new Chats(deps);
  return {
    deps,
    notifier,
    digest,
    graph: new Graph(deps),
    pets: new Pets(deps),
    posts,
    comments,
    reactions: new Reactions(deps, posts, comments),
    feed: new Feed(deps, posts, platform.cache),
    saved: new Saved(deps, posts),
    trends,
    chats,
    calls: new Calls(
      {
        ...deps,
        callsPerHour: platform.config.callsPerHour,
        ringsPerHour: platform.config.callRingsPerHour,
        joinsPerMinute: platform.config.callJoinsPerMinute,
      },
      chats,
    ),
    media,
    places: new Places(platform.config.places, platform.cache, limiter, platform.log),
    reels,
    sounds,
    composer: new Composer(deps, reels, sounds),
    forYou: new ForYou({ db, cache: platform.cache, embedder: captions }),
    reelVectors: new ReelVectors({ db, log: platform.log, node: actors.node, everyMs: platform.config.reels.vectorsEveryMs }),
    captionVectors: new CaptionVectors({
      db,
      log: platform.log,
      node: actors.node,
      everyMs: platform.config.reels.captionsEveryMs,
      embedder: captions,
    }),
    stories: new Stories({ ...deps, lifetimeMs: platform.config.stories.lifetimeMs, perDay: platform.config.stories.perDay }),
    highlights: new Highlights(db),
    storyCleanup: new StoryCleanup({
      db,
      media,
      log: platform.log,
      node: actors.node,
      everyMs: platform.config.stories.cleanupEveryMs,
    }),
    treats: new Treats(deps),
    payments: payments.payments,
    subscriptions: payments.subscriptions,
    verification: new Verification(deps),
    support,
  };
}
