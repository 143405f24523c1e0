// How the messenger's screens put things into words: system lines ("Ana added Bruno"), who is
// typing, and an own message's receipt, in the user's language.
import { locale, t } from '../../i18n/index.ts';
import type { ChatMessage, Receipt } from '../../state/messageLog.ts';

/** A list of names as the language joins them ("Ana, Bruno and Carla"). */
function joinNames(names: string[]): string {
  return new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' }).format(names);
}

/** The centered line of a system message; `nameOf` names a user id (t('chats.someone') when unknown). */
export function describeSystem(message: Pick<ChatMessage, 'system'>, nameOf: (userId: string) => string): string {
  const system = message.system;
  if (system === null) return '';
  const name = nameOf(system.actorId);
  const people = joinNames(system.userIds.map(nameOf));
  switch (system.action) {
    case 'created':
      return t('chats.system.created', { name });
    case 'added':
      return t('chats.system.added', { name, people });
    case 'removed':
      return t('chats.system.removed', { name, people });
    case 'left':
      return t('chats.system.left', { name });
    case 'renamed':
      return t('chats.system.renamed', { name, group: system.name ?? '' });
    case 'picture':
      return t('chats.system.picture', { name });
    case 'admin':
      return system.name === 'member' ? t('chats.system.unadmin', { name, people }) : t('chats.system.admin', { name, people });
    case 'accepted':
      return t('chats.system.accepted', { name });
    case 'encrypted':
      return t('chats.system.encrypted', { name });
    case 'unencrypted':
      return t('chats.system.unencrypted', { name });
    case 'call':
      return describeCall(system.call, name);
    default:
      return '';
  }
}

/** A call's line: how it ended, and how long it lasted when it was answered. */
function describeCall(call: NonNullable<ChatMessage['system']>['call'], name: string): string {
  if (call === null) return '';
  switch (call.outcome) {
    case 'completed':
      return t(call.video ? 'chats.system.callVideo' : 'chats.system.callVoice', { duration: callDuration(call.durationSeconds) });
    case 'missed':
      return t(call.video ? 'chats.system.callMissedVideo' : 'chats.system.callMissedVoice', { name });
    case 'declined':
      return t('chats.system.callDeclined', { name });
    case 'busy':
      return t('chats.system.callBusy', { name });
    case 'cancelled':
      return t('chats.system.callCancelled', { name });
    case 'failed':
      return t('chats.system.callFailed');
    default:
      return '';
  }
}

/** 0:42, 12:05, 1:02:09. */
export function callDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** "Ana is typing…", "Ana and Bruno are typing…", or "Several people are typing…"; '' when nobody is. */
export function typingText(names: string[]): string {
  const [first, second] = names;
  if (first === undefined) return '';
  if (second === undefined) return t('chats.typingOne', { name: first });
  if (names.length === 2) return t('chats.typingTwo', { name: first, other: second });
  return t('chats.typingMany');
}

export function receiptText(receipt: Receipt): string {
  switch (receipt.kind) {
    case 'seen':
      return t('chats.seen');
    case 'seenBy':
      return t('chats.seenBy', { count: receipt.count });
    case 'delivered':
      return t('chats.delivered');
    default:
      return t('chats.sent');
  }
}
