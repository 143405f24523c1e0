// /chats: the conversations, the most recently active first, in two tabs (inbox and message
// requests), each with its name, last message and unread count. A `chats.unread` event of the
// user's topic moves its conversation to the top at once and reloads the first page shortly
// after (for the new preview); an unknown conversation in it is a new one. "New group" picks
// friends and a name. Back to the list shows it as it was left, at the same scroll position.
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { describeSystem } from '../components/chat/format.ts';
import { NewGroupDialog } from '../components/chat/NewGroupDialog.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { Avatar } from '../components/Person.tsx';
import { usePages } from '../components/usePages.ts';
import { formatRelative, t } from '../i18n/index.ts';
import { keepList } from '../state/listMemory.ts';
import type { Chat } from '../state/messageLog.ts';
import { actions, state } from '../state/store.ts';

const RELOAD_AFTER_MS = 300;

export function chatName(chat: Pick<Chat, 'kind' | 'name' | 'peer'>): string {
  if (chat.kind === 'group') return chat.name ?? t('chats.title');
  return chat.peer === null ? t('chats.someone') : chat.peer.displayName || chat.peer.username;
}

const ATTACHMENT_ICON = { image: '📷', video: '🎬', voice: '🎤', blob: '🔒' } as const;

/** The one line under a conversation's name: its last message as the list shows it. */
function previewOf(
  chat: Pick<Chat, 'lastMessage'>,
  me: string,
  describeSystem: (message: NonNullable<Chat['lastMessage']>) => string,
): string {
  const message = chat.lastMessage;
  if (message === null) return t('chats.noMessages');
  if (message.deletedAt !== null) return t('chats.deletedPreview');
  if (message.kind === 'system') return describeSystem(message);
  const attached = message.attachments[0];
  const text =
    message.kind === 'encrypted'
      ? `🔒 ${t('chats.encryptedPreview')}`
      : message.text === '' && attached !== undefined
        ? `${ATTACHMENT_ICON[attached.kind]} ${t(`media.${attached.kind}`)}`
        : message.text;
  return message.senderId === me ? t('chats.youWrote', { text }) : text;
}

export default function Chats(): JSX.Element {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams<{ folder?: string }>();
  // Kept here too: the search params follow the navigation, a moment after the click.
  const [folder, setFolder] = createSignal<'inbox' | 'requests'>(params.folder === 'requests' ? 'requests' : 'inbox');
  const [creating, setCreating] = createSignal(false);
  const pages = usePages((cursor) => actions.call('chats.list', { folder: folder(), cursor }));
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  let deliveredUpTo = new Map<string, number>();

  // Conversations with unread messages have reached this device: say so, once per seq.
  const acknowledge = (chats: Chat[]) => {
    for (const chat of chats) {
      if (chat.unread === 0 || (deliveredUpTo.get(chat.id) ?? 0) >= chat.lastSeq) continue;
      deliveredUpTo.set(chat.id, chat.lastSeq);
      actions.call('chats.delivered', { conversationId: chat.id, seq: chat.lastSeq }).catch(() => deliveredUpTo.delete(chat.id));
    }
  };
  const reload = async () => {
    await pages.reload();
    acknowledge(pages.items());
  };

  onMount(() => {
    // Back to the list puts it back as it was left, read again only when a chat changed meanwhile.
    keepList(() => `chats:${folder()}`, {
      ...pages,
      reload,
      refreshFirst: async () => {
        await pages.refreshFirst();
        acknowledge(pages.items());
      },
    });
    const stop = actions.onUserEvent((event) => {
      if (event.name !== 'chats.unread') return;
      const body = event.body as { conversationId: string; unread: number };
      const known = pages.items().find((chat) => chat.id === body.conversationId);
      if (known !== undefined) {
        const moved = { ...known, unread: body.unread };
        pages.setItems((items) =>
          body.unread > known.unread
            ? [moved, ...items.filter((chat) => chat.id !== moved.id)]
            : items.map((chat) => (chat.id === moved.id ? moved : chat)),
        );
      }
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => void reload(), RELOAD_AFTER_MS);
    });
    onCleanup(() => {
      stop();
      clearTimeout(reloadTimer);
      deliveredUpTo = new Map();
    });
  });

  const show = (next: 'inbox' | 'requests') => {
    if (next === folder()) return;
    setFolder(next);
    setParams({ folder: next === 'inbox' ? undefined : next }, { replace: true });
    void reload();
  };
  const me = () => state.user?.id ?? '';

  return (
    <section class="card" aria-labelledby="chats-title">
      <div class="row spread">
        <h1 id="chats-title">{t('chats.title')}</h1>
        <button type="button" class="secondary" onClick={() => setCreating(true)}>
          {t('chats.newGroup')}
        </button>
      </div>
      <fieldset class="segmented">
        <legend class="visually-hidden">{t('chats.title')}</legend>
        <button type="button" aria-pressed={folder() === 'inbox'} onClick={() => show('inbox')}>
          {t('chats.inbox')}
          <Show when={state.chatsUnread.conversations > 0}>
            {' '}
            <span class="badge count">{state.chatsUnread.conversations}</span>
          </Show>
        </button>
        <button type="button" aria-pressed={folder() === 'requests'} onClick={() => show('requests')} data-testid="requests-tab">
          <Show when={state.chatsUnread.requests > 0} fallback={t('chats.requests')}>
            <span class="visually-hidden">{t('chats.requestsUnread', { count: state.chatsUnread.requests })}</span>
            <span aria-hidden="true">{t('chats.requests')}</span>
          </Show>
          <Show when={state.chatsUnread.requests > 0}>
            {' '}
            <span class="badge count" aria-hidden="true">
              {state.chatsUnread.requests}
            </span>
          </Show>
        </button>
      </fieldset>
      <ul class="people chats" data-testid="chats">
        <For each={pages.items()}>
          {(chat) => (
            <li class={chat.unread > 0 ? 'person unread' : 'person'} data-testid={`chat-${chat.id}`}>
              <Avatar name={chatName(chat)} mediaId={chat.kind === 'group' ? chat.pictureMediaId : (chat.peer?.avatarMediaId ?? null)} />
              <div class="who">
                <A href={`/chats/${chat.id}`}>
                  <strong>{chatName(chat)}</strong>
                </A>
                <br />
                <small class="hint preview">
                  {previewOf(chat, me(), (message) =>
                    describeSystem(message, (id) =>
                      id === me() ? (state.user?.username ?? '') : id === chat.peer?.id ? chatName(chat) : t('chats.someone'),
                    ),
                  )}
                </small>
              </div>
              <div class="chat-meta">
                <small class="hint">{formatRelative(chat.lastActivityAt)}</small>
                <Show when={chat.unread > 0}>
                  <span
                    class="badge count"
                    role="img"
                    aria-label={t('chats.unreadCount', { count: chat.unread })}
                    data-testid="chat-unread"
                  >
                    {chat.unread > 99 ? '99+' : chat.unread}
                  </span>
                </Show>
              </div>
            </li>
          )}
        </For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={folder() === 'requests' ? t('chats.noRequests') : t('chats.none')} />
      <Show when={creating()}>
        <NewGroupDialog
          onClose={() => setCreating(false)}
          onCreated={(chat) => {
            setCreating(false);
            navigate(`/chats/${chat.id}`);
          }}
        />
      </Show>
    </section>
  );
}
