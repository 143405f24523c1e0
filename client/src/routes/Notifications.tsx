// /notifications: the inbox, newest first with "load more"; new ones arrive live at the top.
// Reading one (or all) is optimistic: the badge and the list change at once and come back if the
// server refuses; other devices follow through `notifications.unread`.
import { A } from '@solidjs/router';
import { For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { LoadMore } from '../components/LoadMore.tsx';
import { Avatar } from '../components/Person.tsx';
import { usePages } from '../components/usePages.ts';
import { formatRelative, t } from '../i18n/index.ts';
import { actions, errorText, state } from '../state/store.ts';

type Notification = CallResponse<'notifications.list'>['items'][number];

const POST_TYPES = {
  'post.mention': 'notifications.postMention',
  'post.comment': 'notifications.postComment',
  'comment.reply': 'notifications.commentReply',
  'post.reaction': 'notifications.postReaction',
  'comment.reaction': 'notifications.commentReaction',
  'post.share': 'notifications.postShare',
} as const;

/** What a notification says and where it leads. Unknown types read generically. */
export function describe(notification: Notification): { text: string; href: string } {
  const name = notification.actor === null ? t('notifications.someone') : notification.actor.displayName || notification.actor.username;
  const profile = notification.actor === null ? '/notifications' : `/u/${encodeURIComponent(notification.actor.username)}`;
  switch (notification.type) {
    case 'friend.request':
      return { text: t('notifications.friendRequest', { name }), href: '/friends' };
    case 'friend.accepted':
      return { text: t('notifications.friendAccepted', { name }), href: profile };
    case 'follow.new':
      return { text: t('notifications.followNew', { name }), href: profile };
    case 'pet.lost': {
      const data = notification.data as { petId?: string; pet?: string };
      return {
        text: t('notifications.petLost', { name, pet: data.pet ?? '' }),
        href: data.petId === undefined ? profile : `/pets/${data.petId}`,
      };
    }
    case 'post.mention':
    case 'post.comment':
    case 'comment.reply':
    case 'post.reaction':
    case 'comment.reaction':
    case 'post.share': {
      const { postId } = notification.data as { postId?: string };
      return {
        text: t(POST_TYPES[notification.type as keyof typeof POST_TYPES], { name }),
        href: postId === undefined ? profile : `/posts/${postId}`,
      };
    }
    case 'story.mention':
      // The story is in the author's ring on their profile while it lasts.
      return { text: t('notifications.storyMention', { name }), href: profile };
    // The platform's decisions, from no one; they lead to the request's state in the profile settings.
    case 'verification.approved':
      return { text: t('notifications.verificationApproved'), href: '/settings/profile' };
    case 'verification.rejected':
      return {
        text: t('notifications.verificationRejected', { text: (notification.data as { reason?: string }).reason ?? '' }),
        href: '/settings/profile',
      };
    default:
      return { text: t('notifications.generic', { name }), href: profile };
  }
}

export default function Notifications(): JSX.Element {
  const pages = usePages(async (cursor) => {
    const page = await actions.call('notifications.list', { cursor });
    actions.setUnread(page.unread);
    return page;
  });
  onMount(() => {
    void pages.reload();
    const stop = actions.onUserEvent((event) => {
      if (event.name !== 'notification.new') return;
      const { notification } = event.body as { notification: Notification };
      pages.setItems((items) => [notification, ...items.filter((item) => item.id !== notification.id)]);
    });
    onCleanup(stop);
  });

  const mark = async (ids: string[] | 'all') => {
    const before = pages.items();
    const unreadBefore = state.unread;
    const affected = ids === 'all' ? before.filter((item) => !item.read).map((item) => item.id) : ids;
    pages.setItems((items) => items.map((item) => (affected.includes(item.id) ? { ...item, read: true } : item)));
    actions.setUnread(ids === 'all' ? 0 : Math.max(0, unreadBefore - affected.length));
    try {
      const { unread } =
        ids === 'all' ? await actions.call('notifications.markAllRead', {}) : await actions.call('notifications.markRead', { ids });
      actions.setUnread(unread);
    } catch (error) {
      pages.setItems(before);
      actions.setUnread(unreadBefore);
      actions.toast(errorText(error), 'error');
    }
  };

  return (
    <section class="card" aria-labelledby="notifications-title">
      <div class="row spread">
        <h1 id="notifications-title">{t('notifications.title')}</h1>
        <button type="button" class="secondary" disabled={state.unread === 0} onClick={() => void mark('all')}>
          {t('notifications.markAll')}
        </button>
      </div>
      <ul class="people notifications" data-testid="notifications">
        <For each={pages.items()}>
          {(notification) => {
            const shown = () => describe(notification);
            return (
              <li class={notification.read ? 'person' : 'person unread'} data-type={notification.type}>
                <Avatar
                  name={notification.actor?.displayName || notification.actor?.username || '?'}
                  mediaId={notification.actor?.avatarMediaId ?? null}
                />
                <div class="who">
                  <A href={shown().href} onClick={() => !notification.read && void mark([notification.id])}>
                    {shown().text}
                  </A>
                  <br />
                  <small class="hint">
                    <Show when={!notification.read}>
                      <span class="visually-hidden">{t('notifications.unreadLabel')} </span>
                    </Show>
                    {formatRelative(notification.createdAt)}
                  </small>
                </div>
                <Show when={!notification.read}>
                  <div class="actions">
                    <button type="button" class="secondary" onClick={() => void mark([notification.id])}>
                      {t('notifications.markRead')}
                    </button>
                  </div>
                </Show>
              </li>
            );
          }}
        </For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('notifications.none')} />
      <p>
        <A href="/settings/notifications">{t('settings.notifications')}</A>
      </p>
    </section>
  );
}
