// A post's comments, nested three levels deep: each comment with its author, time, text (links
// as in posts), reactions, and what the user may do (answer while under three levels, edit their
// own, delete their own or any on their post, report someone else's). Answers open on demand a
// page at a time; a deleted comment that has answers stays as a placeholder.
import { A } from '@solidjs/router';
import { createSignal, For, type JSX, Show } from 'solid-js';
import { formatRelative, t } from '../i18n/index.ts';
import { actions, errorText, state } from '../state/store.ts';
import { type CommentThread, levelOf } from '../state/thread.ts';
import { TextAreaField } from './Field.tsx';
import { ErrorAlert, FormFooter } from './FormFooter.tsx';
import { Avatar, Badges } from './Person.tsx';
import { ReportDialog, WhoReacted } from './PostDialogs.tsx';
import { PostText } from './PostText.tsx';
import { ReactionBar } from './ReactionBar.tsx';
import { useSubmit } from './useSubmit.ts';

const MAX_DEPTH = 3;

export function CommentForm(props: {
  id: string;
  label: string;
  submitLabel: string;
  initial?: string;
  send: (text: string) => Promise<void>;
}) {
  const [text, setText] = createSignal(props.initial ?? '');
  const form = useSubmit(async () => {
    await props.send(text().trim());
    setText('');
  });
  return (
    <form class="comment-form" onSubmit={form.submit}>
      <TextAreaField id={props.id} label={props.label} value={text()} onInput={setText} maxlength={2000} rows={2} />
      <FormFooter busy={form.busy()} error={form.error()} label={props.submitLabel} />
    </form>
  );
}

export function CommentLevel(props: { thread: CommentThread; postAuthorId: string; parentId: string | null }): JSX.Element {
  const level = () => levelOf(props.parentId);
  const thread = props.thread.thread;
  return (
    <>
      <ol class="comments" aria-label={props.parentId === null ? t('comments.title') : t('comments.answers')}>
        <For each={thread.levels[level()] ?? []}>
          {(id) => <CommentItem thread={props.thread} id={id} postAuthorId={props.postAuthorId} />}
        </For>
      </ol>
      <ErrorAlert text={thread.error[level()]} />
      <Show when={(thread.next[level()] ?? null) !== null}>
        <button
          type="button"
          class="secondary"
          disabled={thread.loading[level()]}
          onClick={() => void props.thread.load(props.parentId, true)}
        >
          {thread.loading[level()] ? t('form.working') : props.parentId === null ? t('list.loadMore') : t('comments.moreAnswers')}
        </button>
      </Show>
    </>
  );
}

function CommentItem(props: { thread: CommentThread; id: string; postAuthorId: string }): JSX.Element {
  const [mode, setMode] = createSignal<'none' | 'reply' | 'edit' | 'report' | 'who'>('none');
  const comment = () => props.thread.thread.byId[props.id];
  const name = () => {
    const author = comment()?.author;
    return author === null || author === undefined ? '' : author.displayName || author.username;
  };
  const mine = () => comment()?.author?.id === state.user?.id;
  const repliesOpen = () => props.thread.thread.levels[props.id] !== undefined;
  return (
    <Show when={comment()}>
      {(current) => (
        <li class="comment" id={`comment-${props.id}`} data-testid={`comment-${props.id}`}>
          <Show when={!current().deleted && current().author !== null} fallback={<p class="hint deleted">{t('comments.deleted')}</p>}>
            <div class="post-head">
              <Avatar name={name()} mediaId={current().author?.avatarMediaId ?? null} />
              <div class="who">
                <A href={`/u/${encodeURIComponent(current().author?.username ?? '')}`}>
                  <strong>
                    <bdi>{name()}</bdi>
                  </strong>
                </A>
                <Badges badges={current().author?.badges ?? []} />
                <br />
                <small class="hint">
                  <time datetime={current().createdAt}>{formatRelative(current().createdAt)}</time>
                  <Show when={current().editedAt !== null}> · {t('post.edited')}</Show>
                </small>
              </div>
            </div>
            <Show when={mode() === 'edit'} fallback={<PostText text={current().text} entities={current().entities} />}>
              <CommentForm
                id={`edit-${props.id}`}
                label={t('comments.edit')}
                submitLabel={t('settings.save')}
                initial={current().text}
                send={async (text) => {
                  await props.thread.edit(props.id, text);
                  setMode('none');
                }}
              />
            </Show>
            <ReactionBar
              label={t('reaction.forComment', { name: name() })}
              counts={current().reactions}
              mine={current().myReaction}
              onChange={(reactions, myReaction) => props.thread.setReactions(props.id, reactions, myReaction)}
              send={(kind) => actions.call('comments.react', { commentId: props.id, kind })}
              onWho={() => setMode('who')}
            />
            <div class="row comment-actions">
              <Show when={current().depth < MAX_DEPTH}>
                <button type="button" class="link" onClick={() => setMode(mode() === 'reply' ? 'none' : 'reply')}>
                  {t('comments.reply')}
                </button>
              </Show>
              <Show when={mine()}>
                <button type="button" class="link" onClick={() => setMode(mode() === 'edit' ? 'none' : 'edit')}>
                  {t('comments.edit')}
                </button>
              </Show>
              <Show when={mine() || props.postAuthorId === state.user?.id}>
                <button
                  type="button"
                  class="link danger"
                  onClick={() => props.thread.remove(props.id).catch((error: unknown) => actions.toast(errorText(error), 'error'))}
                >
                  {t('comments.delete')}
                </button>
              </Show>
              <Show when={!mine()}>
                <button type="button" class="link" onClick={() => setMode('report')}>
                  {t('report.action')}
                </button>
              </Show>
            </div>
          </Show>
          <Show when={mode() === 'reply'}>
            <CommentForm
              id={`reply-${props.id}`}
              label={t('comments.answer', { name: name() })}
              submitLabel={t('comments.send')}
              send={async (text) => {
                await props.thread.add(text, props.id);
                if (!repliesOpen()) await props.thread.load(props.id);
                setMode('none');
              }}
            />
          </Show>
          <Show when={current().replies > 0 && !repliesOpen()}>
            <button type="button" class="link" onClick={() => void props.thread.load(props.id)}>
              {t('comments.showAnswers', { count: current().replies })}
            </button>
          </Show>
          <Show when={repliesOpen()}>
            <CommentLevel thread={props.thread} postAuthorId={props.postAuthorId} parentId={props.id} />
          </Show>
          <Show when={mode() === 'report'}>
            <ReportDialog targetKind="comment" targetId={props.id} onClose={() => setMode('none')} />
          </Show>
          <Show when={mode() === 'who'}>
            <WhoReacted target={{ commentId: props.id }} onClose={() => setMode('none')} />
          </Show>
        </li>
      )}
    </Show>
  );
}
