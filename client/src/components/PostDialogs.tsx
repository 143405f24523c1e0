// The dialogs a post or comment opens: who reacted, the edit history, a report to the
// moderators (a reason from the protocol's list and an optional note), and the author's edit
// (text and visibility, a refusal shown on the field it names) and delete (after confirming).

import { Tabs } from '@kobalte/core/tabs';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import { REPORT_REASONS } from '../../../protocol/lists.ts';
import { formatRelative, t } from '../i18n/index.ts';
import type { Post, ReportReason, Visibility } from '../state/posts.ts';
import { actions, errorField, errorText } from '../state/store.ts';
import { Composer, FieldError, PostTextField, VisibilityField } from './Composer.tsx';
import { SendInChat } from './chat/SendInChat.tsx';
import { Dialog } from './Dialog.tsx';
import { SelectField, TextAreaField } from './Field.tsx';
import { ErrorAlert, FormFooter } from './FormFooter.tsx';
import { LoadMore } from './LoadMore.tsx';
import { PersonRow } from './Person.tsx';
import { ReactionEmoji } from './ui/ReactionEmoji.tsx';
import { usePages } from './usePages.ts';
import { useSubmit } from './useSubmit.ts';

export function WhoReacted(props: { target: { postId: string } | { commentId: string }; onClose: () => void }): JSX.Element {
  const pages = usePages((cursor) => actions.call('posts.reactions', { ...props.target, cursor }));
  onMount(() => void pages.reload());
  return (
    <Dialog title={t('reaction.whoTitle')} onClose={props.onClose} testId="who-reacted-dialog">
      <ul class="people">
        <For each={pages.items()}>
          {(item) => (
            <PersonRow
              person={item.person}
              detail={
                <>
                  <ReactionEmoji kind={item.kind} size={16} /> {t(`reaction.${item.kind}`)}
                </>
              }
            />
          )}
        </For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('reaction.none')} />
    </Dialog>
  );
}

export function EditHistory(props: { postId: string; current: string; onClose: () => void }): JSX.Element {
  const [items, setItems] = createSignal<{ version: number; text: string; replacedAt: string }[]>([]);
  const [error, setError] = createSignal<string | undefined>();
  onMount(async () => {
    try {
      setItems((await actions.call('posts.history', { postId: props.postId })).items);
    } catch (failure) {
      setError(errorText(failure));
    }
  });
  return (
    <Dialog title={t('post.historyTitle')} onClose={props.onClose} testId="history-dialog">
      <ErrorAlert text={error()} />
      <ol class="history">
        <For each={items()}>
          {(item) => (
            <li>
              <small class="hint">{t('post.historyVersion', { version: item.version, when: formatRelative(item.replacedAt) })}</small>
              <p dir="auto">{item.text}</p>
            </li>
          )}
        </For>
        <li>
          <small class="hint">{t('post.historyCurrent')}</small>
          <p dir="auto">{props.current}</p>
        </li>
      </ol>
    </Dialog>
  );
}

/** Reporting a post, a comment or a person (`name` is theirs, for the title). */
export function ReportDialog(props: {
  targetKind: 'post' | 'comment' | 'user';
  targetId: string;
  name?: string;
  onClose: () => void;
}): JSX.Element {
  const [reason, setReason] = createSignal<ReportReason>('spam');
  const [note, setNote] = createSignal('');
  const form = useSubmit(async () => {
    const trimmed = note().trim();
    await actions.call('reports.create', {
      targetKind: props.targetKind,
      targetId: props.targetId,
      reason: reason(),
      ...(trimmed === '' ? {} : { note: trimmed }),
    });
    actions.toast(t('report.sent'));
    props.onClose();
  });
  return (
    <Dialog
      title={
        props.targetKind === 'post'
          ? t('report.postTitle')
          : props.targetKind === 'comment'
            ? t('report.commentTitle')
            : t('report.userTitle', { name: props.name ?? '' })
      }
      onClose={props.onClose}
      testId="report-dialog"
    >
      <form onSubmit={form.submit}>
        <SelectField id="report-reason" label={t('report.reason')} value={reason()} onChange={(value) => setReason(value as ReportReason)}>
          <For each={[...REPORT_REASONS]}>{(each) => <option value={each}>{t(`report.reason.${each}`)}</option>}</For>
        </SelectField>
        <TextAreaField id="report-note" label={t('report.note')} value={note()} onInput={setNote} maxlength={1000} rows={3} />
        <FormFooter busy={form.busy()} error={form.error()} label={t('report.submit')} />
      </form>
    </Dialog>
  );
}

/** What an edit changes: only the fields that differ from the post. */
export type PostChange = { text?: string; visibility?: Visibility };

export function EditPostDialog(props: { post: Post; save: (change: PostChange) => Promise<void>; onClose: () => void }): JSX.Element {
  const [text, setText] = createSignal(props.post.text);
  const [visibility, setVisibility] = createSignal<Visibility>(props.post.visibility);
  const [failure, setFailure] = createSignal<{ field: string | undefined; text: string } | undefined>();
  const errorOn = (field: 'text' | 'visibility') => (failure()?.field === field ? failure()?.text : undefined);
  const form = useSubmit(async () => {
    setFailure(undefined);
    const change: PostChange = {
      ...(text() === props.post.text ? {} : { text: text() }),
      ...(visibility() === props.post.visibility ? {} : { visibility: visibility() }),
    };
    try {
      if (Object.keys(change).length > 0) await props.save(change);
    } catch (error) {
      setFailure({ field: errorField(error), text: errorText(error) });
      return;
    }
    props.onClose();
  });
  return (
    <Dialog title={t('post.editTitle')} onClose={props.onClose} testId="edit-post-dialog">
      <form onSubmit={form.submit}>
        <PostTextField id="edit-post-text" label={t('post.editText')} value={text()} onInput={setText} error={errorOn('text')} />
        <VisibilityField
          id="edit-post-visibility"
          value={visibility()}
          onChange={setVisibility}
          invalid={errorOn('visibility') !== undefined}
        />
        <FieldError id="edit-post-visibility-error" text={errorOn('visibility')} />
        <Show when={failure() !== undefined && errorOn('text') === undefined && errorOn('visibility') === undefined}>
          <ErrorAlert text={failure()?.text} />
        </Show>
        <FormFooter busy={form.busy()} error={undefined} label={t('settings.save')} />
      </form>
    </Dialog>
  );
}

export function DeletePostDialog(props: { onDelete: () => void; onClose: () => void }): JSX.Element {
  return (
    <Dialog title={t('post.deleteTitle')} onClose={props.onClose} testId="delete-post-dialog">
      <p>{t('post.deleteHelp')}</p>
      <div class="row">
        <button type="button" class="secondary" onClick={() => props.onClose()}>
          {t('form.cancel')}
        </button>
        <button type="button" class="danger" onClick={() => props.onDelete()}>
          {t('post.delete')}
        </button>
      </div>
    </Dialog>
  );
}

/** Sharing a post (or a reel): as a post of one's own, with a comment, or in a chat with friends. */
export function ShareDialog(props: { post: Post; onClose: () => void; onShared?: (post: Post) => void }): JSX.Element {
  return (
    <Dialog title={t('composer.shareTitle')} onClose={props.onClose} testId="share-dialog">
      <Tabs class="share-tabs" defaultValue="post">
        <Tabs.List class="tab-list" aria-label={t('composer.shareTitle')}>
          <Tabs.Trigger class="tab" value="post">
            {t('chats.shareAsPost')}
          </Tabs.Trigger>
          <Tabs.Trigger class="tab" value="chat" data-testid="share-in-chat">
            {t('chats.shareInChat')}
          </Tabs.Trigger>
          <Tabs.Indicator class="tab-indicator" />
        </Tabs.List>
        <Tabs.Content value="post">
          <Composer
            shared={props.post}
            onPosted={(created) => {
              props.onClose();
              actions.toast(t('post.sharedToast'));
              props.onShared?.(created);
            }}
          />
        </Tabs.Content>
        <Tabs.Content value="chat">
          <SendInChat
            postId={props.post.id}
            onSent={(count) => {
              props.onClose();
              actions.toast(t('chats.sentInChatToast', { count }));
            }}
          />
        </Tabs.Content>
      </Tabs>
    </Dialog>
  );
}
