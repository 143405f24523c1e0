// Changing how the user stands with someone (friend requests, follows, blocks, close friends):
// optimistic, so the buttons answer at once; the server's reply (or its `relation.changed` event)
// settles the state, and a refusal rolls back with a toast.
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { t } from '../i18n/index.ts';
import { actions, errorText } from './store.ts';

export type Relation = CallResponse<'profile.get'>['relation'];

export type RelationChange =
  | 'friends.request'
  | 'friends.accept'
  | 'friends.decline'
  | 'friends.cancel'
  | 'friends.remove'
  | 'friends.close'
  | 'friends.notClose'
  | 'follows.follow'
  | 'follows.unfollow'
  | 'blocks.block'
  | 'blocks.unblock';

/** What the relation will most likely be after `change`, shown until the server answers. */
export function expected(change: RelationChange, relation: Relation): Relation {
  switch (change) {
    case 'friends.request':
      return { ...relation, state: relation.state === 'request_received' ? 'friends' : 'request_sent' };
    case 'friends.accept':
      return { ...relation, state: 'friends' };
    case 'friends.decline':
    case 'friends.cancel':
      return { ...relation, state: 'none' };
    case 'friends.remove':
      return { ...relation, state: 'none', closeFriend: false };
    case 'friends.close':
      return { ...relation, closeFriend: true };
    case 'friends.notClose':
      return { ...relation, closeFriend: false };
    case 'follows.follow':
      return { ...relation, following: true };
    case 'follows.unfollow':
      return { ...relation, following: false };
    case 'blocks.block':
      return { state: 'none', closeFriend: false, following: false, followedBy: false, blocked: true };
    case 'blocks.unblock':
      return { ...relation, blocked: false };
  }
}

function send(change: RelationChange, userId: string) {
  switch (change) {
    case 'friends.close':
      return actions.call('friends.setClose', { userId, close: true });
    case 'friends.notClose':
      return actions.call('friends.setClose', { userId, close: false });
    default:
      return actions.call(change, { userId });
  }
}

/**
 * Applies `change` at once through `show`, then the server's answer; on failure shows `before`
 * again and a toast. Resolves with the settled relation, or undefined when refused.
 */
export async function relate(
  change: RelationChange,
  userId: string,
  before: Relation,
  show: (relation: Relation) => void,
): Promise<Relation | undefined> {
  show(expected(change, before));
  try {
    const reply = await send(change, userId);
    show(reply.relation);
    if (change === 'blocks.block') actions.toast(t('relation.blockedToast'));
    if (change === 'friends.request' && reply.relation.state === 'request_sent') actions.toast(t('relation.requestSentToast'));
    return reply.relation;
  } catch (error) {
    show(before);
    actions.toast(errorText(error), 'error');
    return undefined;
  }
}
