// /posts/:id (where notifications about posts lead): the post and its comments. It follows
// `post:<id>` the whole time: counts and edits reach the card, and each `comment.added` or
// `comment.changed` is fetched with `comments.get` (which leaves out people blocked on either
// side) and shown in its place. Once the post is deleted (by its author here, or live) or may no
// longer be seen, the page shows it unavailable.
import { useParams } from '@solidjs/router';
import { createEffect, createSignal, type JSX, on, Show } from 'solid-js';
import { ProtocolError } from '../../../protocol/client.ts';
import { CommentForm, CommentLevel } from '../components/Comments.tsx';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { PostCard } from '../components/PostCard.tsx';
import { t } from '../i18n/index.ts';
import type { Post } from '../state/posts.ts';
import { actions, errorText } from '../state/store.ts';
import { createThread } from '../state/thread.ts';

type View = { kind: 'loading' } | { kind: 'found'; post: Post } | { kind: 'missing' } | { kind: 'failed'; text: string };

function Thread(props: { post: Post; onGone: () => void }): JSX.Element {
  const thread = createThread(props.post.id);
  void thread.load(null);
  return (
    <>
      <PostCard
        post={props.post}
        alwaysLive
        onGone={props.onGone}
        onEvent={(event) => {
          const body = event.body as { commentId?: string; reactions?: Post['reactions'] };
          if (body.commentId === undefined) return;
          if (event.name === 'comment.added' || event.name === 'comment.changed') void thread.refresh(body.commentId);
          else if (event.name === 'comment.counts' && body.reactions !== undefined) thread.setReactions(body.commentId, body.reactions);
        }}
      />
      <section class="thread" aria-labelledby="comments-title">
        <h2 id="comments-title">{t('comments.title')}</h2>
        <CommentForm
          id="comment-new"
          label={t('comments.write')}
          submitLabel={t('comments.send')}
          send={(text) => thread.add(text, null)}
        />
        <CommentLevel thread={thread} postAuthorId={props.post.author.id} parentId={null} />
      </section>
    </>
  );
}

export default function PostPage(): JSX.Element {
  const params = useParams();
  const [view, setView] = createSignal<View>({ kind: 'loading' });
  createEffect(
    on(
      () => params.id,
      async (id = '') => {
        setView({ kind: 'loading' });
        try {
          const post = await actions.call('posts.get', { postId: id });
          if (params.id === id) setView({ kind: 'found', post });
        } catch (error) {
          if (params.id !== id) return;
          setView(
            error instanceof ProtocolError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_BODY')
              ? { kind: 'missing' }
              : { kind: 'failed', text: errorText(error) },
          );
        }
      },
    ),
  );
  return (
    <section class="card" data-testid="post-page" aria-label={t('post.page')}>
      <Show when={view().kind === 'missing'}>
        <p class="hint" data-testid="post-missing">
          {t('post.unavailable')}
        </p>
      </Show>
      <Show when={view().kind === 'failed' && view()} keyed>
        {(failed) => <ErrorAlert text={failed.kind === 'failed' ? failed.text : undefined} />}
      </Show>
      <Show when={view().kind === 'found' && view()} keyed>
        {(found) => (found.kind === 'found' ? <Thread post={found.post} onGone={() => setView({ kind: 'missing' })} /> : null)}
      </Show>
    </section>
  );
}
