// What the user can do about someone, by how they stand: add friend / cancel / accept / decline,
// the close-friends mark, follow; in an overflow menu (Kobalte's, keyboard and screen reader
// ready) unfriend, unfollow, report (a reason for the moderators) and block (asked again before it
// is done); unblock. Changes are optimistic (state/relations.ts).
import { DropdownMenu } from '@kobalte/core/dropdown-menu';
import { Ellipsis, Star } from 'lucide-solid';
import { createSignal, type JSX, lazy, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { type Relation, type RelationChange, relate } from '../state/relations.ts';

// The report form loads when first asked for.
const ReportDialog = lazy(() => import('./PostDialogs.tsx').then((module) => ({ default: module.ReportDialog })));

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
  const [reporting, setReporting] = createSignal(false);
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
      <Show when={!props.relation.blocked} fallback={button('blocks.unblock', t('relation.unblock'))}>
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
            <Star size={16} aria-hidden="true" fill={props.relation.closeFriend ? 'currentColor' : 'none'} />
            {t('relation.closeFriend')}
          </button>
        </Show>
        <Show when={!props.relation.following && props.canFollow}>{button('follows.follow', t('relation.follow'))}</Show>
        {/* The rest, and what cannot be undone by a tap, is in the overflow menu. */}
        <DropdownMenu>
          <DropdownMenu.Trigger class="ui-icon-button ghost" aria-label={t('relation.more', { name: props.name })} disabled={busy()}>
            <Ellipsis size={22} aria-hidden="true" />
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content class="menu-popover">
              <Show when={props.relation.state === 'friends'}>
                <DropdownMenu.Item class="menu-item" onSelect={() => void run('friends.remove')}>
                  {t('relation.unfriend')}
                </DropdownMenu.Item>
              </Show>
              <Show when={props.relation.following}>
                <DropdownMenu.Item class="menu-item" onSelect={() => void run('follows.unfollow')}>
                  {t('relation.unfollow')}
                </DropdownMenu.Item>
              </Show>
              <DropdownMenu.Item class="menu-item" onSelect={() => setReporting(true)}>
                {t('report.action')}
              </DropdownMenu.Item>
              <DropdownMenu.Item class="menu-item danger" onSelect={() => setConfirmBlock(true)}>
                {t('relation.block')}
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu>
        <Show when={confirmBlock()}>
          <div class="confirm">
            <span role="alert">{t('relation.blockConfirm', { name: props.name })}</span>
            {button('blocks.block', t('relation.blockYes'), false)}
            <button type="button" class="secondary" onClick={() => setConfirmBlock(false)}>
              {t('form.cancel')}
            </button>
          </div>
        </Show>
      </Show>
      <Show when={reporting()}>
        <ReportDialog targetKind="user" targetId={props.userId} name={props.name} onClose={() => setReporting(false)} />
      </Show>
    </fieldset>
  );
}
