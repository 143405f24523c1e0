// One message of a conversation: a system line centered; else a bubble (own ones at the end) with
// the sender's name in groups, the quoted message it answers, its text (or its decrypted text with
// a lock, or why it cannot be shown), the story it answers, its photos, videos and voice notes (those of an encrypted
// message decrypted here), the time, "edited", the receipt under own messages, the reactions, and a
// menu: reply, react, edit, pin, delete.
import { createSignal, For, type JSX, Show } from 'solid-js';
import type { Envelope } from '../../../../protocol/e2ee.ts';
import { t } from '../../i18n/index.ts';
import type { ChatMessage } from '../../state/messageLog.ts';
import { MediaView } from '../media/MediaView.tsx';
import { EncryptedAttachment } from './EncryptedAttachment.tsx';
import { MessageSharedPost } from './MessageSharedPost.tsx';
import { MessageStoryQuote } from './MessageStoryQuote.tsx';

const CHAT_EMOJIS = ['👍', '❤️', '😂', '😮', '😢', '🐾'] as const;

/** The attachments of a message still being sent (ids of ready media), as thumbnails. */
export function PendingAttachments(props: { ids: readonly string[] }): JSX.Element {
  return (
    <Show when={props.ids.length > 0}>
      <ul class="attachments" aria-label={t('chats.attachments')}>
        <For each={props.ids}>
          {(id) => (
            <li>
              <MediaView id={id} layout="thumb" />
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

export interface MessageActions {
  reply?: () => void;
  react?: (emoji: string | null) => void;
  edit?: () => void;
  remove?: () => void;
  pin?: (pinned: boolean) => void;
}

export function MessageItem(props: {
  message: ChatMessage;
  mine: boolean;
  highlighted?: boolean;
  /** The sender's name, shown in groups; undefined in one-to-one conversations. */
  senderName: string | undefined;
  nameOf: (userId: string | null) => string;
  /** The decrypted text and file keys: undefined while decrypting, null when this device cannot read it. */
  plain: Envelope | null | undefined;
  systemText: string;
  receipt: string | undefined;
  actions: MessageActions;
  time: string;
}): JSX.Element {
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  let menu: HTMLDetailsElement | undefined;
  const close = () => menu?.removeAttribute('open');
  const deleted = () => props.message.deletedAt !== null;
  const body = (): JSX.Element => {
    if (deleted()) return <em class="hint">{t('chats.deleted')}</em>;
    if (props.message.kind !== 'encrypted') return props.message.text;
    if (props.plain === null) return <em class="hint">{t('chats.unreadable')}</em>;
    return props.plain === undefined ? '…' : props.plain.text;
  };
  return (
    <Show
      when={props.message.kind !== 'system'}
      fallback={
        <li class="system-line" data-seq={props.message.seq} data-testid="chat-message">
          {props.systemText}
        </li>
      }
    >
      <li
        class={`bubble${props.mine ? ' mine' : ''}${props.highlighted ? ' highlight' : ''}`}
        data-seq={props.message.seq}
        data-testid="chat-message"
        id={`message-${props.message.seq}`}
      >
        <Show when={props.senderName}>
          <div class="sender">{props.senderName}</div>
        </Show>
        <Show when={!deleted() && props.message.story}>{(story) => <MessageStoryQuote story={story()} mine={props.mine} />}</Show>
        <Show when={!deleted() && props.message.postId}>{(postId) => <MessageSharedPost postId={postId()} />}</Show>
        <Show when={!deleted() && props.message.replyTo}>
          {(quoted) => (
            <blockquote class="quote" aria-label={t('chats.replyingTo', { name: props.nameOf(quoted().senderId) })}>
              <strong>{props.nameOf(quoted().senderId)}</strong>
              <br />
              {quoted().preview || '…'}
            </blockquote>
          )}
        </Show>
        <Show when={!deleted() && props.message.attachments.length > 0}>
          <ul class="attachments" aria-label={t('chats.attachments')} data-testid="attachments">
            <For each={props.message.attachments}>
              {(attachment) => (
                <li class={attachment.kind}>
                  <Show when={attachment.kind === 'blob'} fallback={<MediaView id={attachment.id} layout="thumb" />}>
                    <EncryptedAttachment id={attachment.id} file={props.plain?.files.find((file) => file.mediaId === attachment.id)} />
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <p
          class="text"
          dir="auto"
          data-testid="message-text"
          hidden={
            (props.message.attachments.length > 0 || props.message.postId !== null) &&
            !deleted() &&
            (props.message.kind === 'encrypted' ? props.plain?.text === '' : props.message.text === '')
          }
        >
          <Show when={props.message.kind === 'encrypted' && !deleted()}>
            <span role="img" aria-label={t('chats.encryptedMark')} title={t('chats.encryptedMark')}>
              🔒{' '}
            </span>
          </Show>
          {body()}
        </p>
        <Show when={props.message.reactions.length > 0}>
          <ul class="chat-reactions" aria-label={t('chats.reactions')}>
            <For each={props.message.reactions}>
              {(reaction) => (
                <li class={props.message.myReaction === reaction.emoji ? 'mine' : undefined}>
                  {reaction.emoji} {reaction.count}
                </li>
              )}
            </For>
          </ul>
        </Show>
        <div class="meta">
          <Show when={props.message.pinned}>
            <span>📌 {t('chats.pinned')} · </span>
          </Show>
          <time dateTime={props.message.createdAt}>{props.time}</time>
          <Show when={props.message.editedAt !== null && !deleted()}>
            <span> · {t('chats.edited')}</span>
          </Show>
          <Show when={props.receipt}>
            <span data-testid="receipt"> · {props.receipt}</span>
          </Show>
        </div>
        <Show when={!deleted()}>
          <details class="menu message-menu" ref={menu}>
            <summary aria-label={t('chats.messageActions')}>⋯</summary>
            <div class="menu-items">
              <Show when={props.actions.reply}>
                {(reply) => (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => {
                      close();
                      reply()();
                    }}
                  >
                    {t('chats.reply')}
                  </button>
                )}
              </Show>
              <Show when={props.actions.react}>
                {(react) => (
                  <fieldset class="emoji-row">
                    <legend class="visually-hidden">{t('chats.reactions')}</legend>
                    <For each={CHAT_EMOJIS}>
                      {(emoji) => (
                        <button
                          type="button"
                          class="reaction"
                          aria-label={t('chats.reactWith', { emoji })}
                          aria-pressed={props.message.myReaction === emoji}
                          onClick={() => {
                            close();
                            react()(props.message.myReaction === emoji ? null : emoji);
                          }}
                        >
                          {emoji}
                        </button>
                      )}
                    </For>
                  </fieldset>
                )}
              </Show>
              <Show when={props.actions.edit}>
                {(edit) => (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => {
                      close();
                      edit()();
                    }}
                  >
                    {t('chats.edit')}
                  </button>
                )}
              </Show>
              <Show when={props.actions.pin}>
                {(pin) => (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => {
                      close();
                      pin()(!props.message.pinned);
                    }}
                  >
                    {props.message.pinned ? t('chats.unpin') : t('chats.pin')}
                  </button>
                )}
              </Show>
              <Show when={props.actions.remove}>
                {(remove) => (
                  <Show
                    when={confirmDelete()}
                    fallback={
                      <button type="button" class="secondary danger" onClick={() => setConfirmDelete(true)}>
                        {t('chats.delete')}
                      </button>
                    }
                  >
                    <span role="alert">{t('chats.deleteConfirm')}</span>
                    <button
                      type="button"
                      class="danger"
                      onClick={() => {
                        setConfirmDelete(false);
                        close();
                        remove()();
                      }}
                    >
                      {t('chats.delete')}
                    </button>
                  </Show>
                )}
              </Show>
            </div>
          </details>
        </Show>
      </li>
    </Show>
  );
}
