// The kinds of notification and how each reaches a user unless they chose otherwise. The texts
// (push, email) are in messages.ts, by language.
import { NOTIFICATION_TYPES } from '../../protocol/calls/notifications.ts';
import { PUSH_ONLY_TYPES } from '../../protocol/lists.ts';

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
export { NOTIFICATION_TYPES, PUSH_ONLY_TYPES };

export interface Channels {
  inApp: boolean;
  email: boolean;
  push: boolean;
}

export const DEFAULT_CHANNELS: Record<NotificationType, Channels> = {
  'friend.request': { inApp: true, email: true, push: true },
  'friend.accepted': { inApp: true, email: false, push: true },
  'follow.new': { inApp: true, email: false, push: false },
  'pet.lost': { inApp: true, email: true, push: true },
  'post.mention': { inApp: true, email: true, push: true },
  'post.comment': { inApp: true, email: false, push: true },
  'comment.reply': { inApp: true, email: false, push: true },
  'post.reaction': { inApp: true, email: false, push: false },
  'comment.reaction': { inApp: true, email: false, push: false },
  'post.share': { inApp: true, email: false, push: true },
  'story.mention': { inApp: true, email: false, push: true },
  // Messages have their own unread counts in the app: only web push, while no session is open.
  'chat.message': { inApp: false, email: false, push: true },
  // A call rings the app's sessions; a web push only while none is open.
  'call.incoming': { inApp: false, email: false, push: true },
  'verification.approved': { inApp: true, email: true, push: true },
  'verification.rejected': { inApp: true, email: true, push: true },
};
