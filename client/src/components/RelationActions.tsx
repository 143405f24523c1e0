// What the user can do about someone, by how they stand: add friend / cancel / accept / decline /
// unfriend, the close-friends mark, follow / unfollow, block (asked twice) / unblock. Changes are
// optimistic (state/relations.ts).
import { createSignal, type JSX, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { type Relation, type RelationChange, relate } from '../state/relations.ts';

export function relationLabel(relation: Relation): string {
  if (relation.blocked) return t('relation.blocked');
  switch (relation.state) {
    case 'friends':
      return relation.closeFriend ? t('relation.closeFriends') : t('relation.friends');
    case 'request_sent':
      return t('relation.requestSent');
    case 'request_received':
      return t('relation.requestReceived');
    default:
      return '';
  }
}

export function RelationActions(props: {
  userId: string;
  name: string;
  relation: Relation;
  canSendRequest: boolean;
  canFollow: boolean;
  onChange: (relation: Relation) => void;
}): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const [confirmBlock, setConfirmBlock] = createSignal(false);
  const run = async (change: RelationChange) => {
    setBusy(true);
    setConfirmBlock(false);
    await relate(change, props.userId, props.relation, props.onChange);
    setBusy(false);
  };
  const button = (change: RelationChange, label: string, secondary = true) => (
    <button type="button" class={secondary ? 'secondary' : undefined} disabled={busy()} onClick={() => void run(change)}>
      {label}
    </button>
  );
  return (
    <fieldset class="relation-actions">
      <legend class="visually-hidden">{t('relation.actions', { name: props.name })}</legend>
      <Show when={!props.relation.blocked}>
        <Show when={props.relation.state === 'none' && props.canSendRequest}>{button('friends.request', t('relation.add'), false)}</Show>
        <Show when={props.relation.state === 'request_sent'}>{button('friends.cancel', t('relation.cancel'))}</Show>
        <Show when={props.relation.state === 'request_received'}>
          {button('friends.accept', t('relation.accept'), false)}
          {button('friends.decline', t('relation.decline'))}
        </Show>
        <Show when={props.relation.state === 'friends'}>
          <button
            type="button"
            class="secondary"
            aria-pressed={props.relation.closeFriend}
            disabled={busy()}
            onClick={() => void run(props.relation.closeFriend ? 'friends.notClose' : 'friends.close')}
          >
            {props.relation.closeFriend ? '★ ' : '☆ '}
            {t('relation.closeFriend')}
          </button>
          {button('friends.remove', t('relation.unfriend'))}
        </Show>
        <Show when={props.relation.following}>{button('follows.unfollow', t('relation.unfollow'))}</Show>
        <Show when={!props.relation.following && props.canFollow}>{button('follows.follow', t('relation.follow'))}</Show>
      </Show>
      <Show
        when={props.relation.blocked}
        fallback={
          <Show
            when={confirmBlock()}
            fallback={
              <button type="button" class="secondary danger" disabled={busy()} onClick={() => setConfirmBlock(true)}>
                {t('relation.block')}
              </button>
            }
          >
            <span role="alert">{t('relation.blockConfirm', { name: props.name })}</span>
            {button('blocks.block', t('relation.blockYes'), false)}
            <button type="button" class="secondary" onClick={() => setConfirmBlock(false)}>
              {t('form.cancel')}
            </button>
          </Show>
        }
      >
        {button('blocks.unblock', t('relation.unblock'))}
      </Show>
    </fieldset>
  );
}
