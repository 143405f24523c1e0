// What the people, pets, graph and notification modules need from the node: the database, the
// topic log for events, the actors (user actors keep unread counts and presence), and the bus on
// which access changes reach every gateway.
import type { ActorSystem } from '../../actors/system.ts';
import type { RateLimiter } from '../accounts/rate-limits.ts';
import type { Media } from '../media/media.ts';
import type { Notifier } from '../notifications/notifier.ts';
import type { Entitlements } from '../payments/entitlements.ts';
import type { Bus } from '../platform/bus/index.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import type { TopicLog } from '../platform/topics/index.ts';
import type { CaptionEmbedder } from '../reels/embedder.ts';

export interface SocialDeps {
  db: Database;
  topics: TopicLog;
  log: Logger;
  bus: Bus;
  actors: ActorSystem;
  namespace: string;
  notifier: Notifier;
  limiter: RateLimiter;
  friendRequestsPerHour: number;
  /** New locations one user may set per 24 hours (profiles.ts). */
  locationChangesPerDay: number;
  /** Reports one user may send per hour (posts/reports.ts). */
  reportsPerHour: number;
  /** Posts one user may keep saved (posts/saved.ts). */
  savedPostsMax: number;
  /** Every media reference (posts, profiles, pets, conversations) is checked here: owned by the caller, ready. */
  media: Media;
  /** The node's caption embedder (reels/embedder.ts): a reel's caption vector is made with it when posted and when edited. */
  captions: CaptionEmbedder;
  /** What a person's plan entitles them to: read by every feature that depends on it. */
  entitlements: Entitlements;
}

/** Subject on which a user's changed visibility (privacy, unfriend, block) reaches every gateway. */
export const accessChangedSubject = (namespace: string) => `${namespace}.access.changed`;

export interface AccessChange {
  /** The user whose topics (`presence:<id>`, `profile:<id>`) followers must be re-checked. */
  ownerId?: string;
  /** Users whose every `post:<id>` subscription must be re-checked (the other side of a block or unfriend). */
  viewers?: string[];
  /** Topics whose followers must be re-checked (a post that changed visibility or was deleted). */
  topics?: string[];
}

export function announceAccessChange(deps: Pick<SocialDeps, 'bus' | 'namespace'>, change: string | AccessChange): void {
  const body: AccessChange = typeof change === 'string' ? { ownerId: change } : change;
  deps.bus.publish(accessChangedSubject(deps.namespace), new TextEncoder().encode(JSON.stringify(body)));
}
