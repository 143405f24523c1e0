// "Link a post" on a new story: a dialog listing the user's own posts, newest first, a page at a
// time (`posts.byAuthor`), each as its first picture and the start of its text; the one picked
// shows under the form with a button to take it off. The story then carries the post
// (`linkPostId`), which viewers open from its "See the post" chip.
import { Link2, X } from 'lucide-solid';
import { createSignal, For, type JSX, Show } from 'solid-js';
import { formatRelative, t } from '../../i18n/index.ts';
import type { Post } from '../../state/posts.ts';
import { actions, state } from '../../state/store.ts';
import { Dialog } from '../Dialog.tsx';
import { LoadMore } from '../LoadMore.tsx';
import { thumbOf } from '../media/sources.ts';
import { Button, IconButton } from '../ui/Button.tsx';
import { usePages } from '../usePages.ts';

/** A post in a few words: its first picture (a video's poster), the start of its text, and when. */
function PostExcerpt(props: { post: Post }): JSX.Element {
  return (
    <span class="story-post">
      <Show when={props.post.mediaIds[0]}>
        {(first) => (
          <Show when={thumbOf(first())} fallback={<span class="story-post-thumb" aria-hidden="true" />}>
            {(src) => <img class="story-post-thumb" src={src()} alt="" />}
          </Show>
        )}
      </Show>
      <span class="story-post-words">
        <span class="story-post-text" dir="auto">
          {props.post.text.trim() || t('stories.postNoText')}
        </span>
        <small class="hint">
          <time datetime={props.post.createdAt}>{formatRelative(props.post.createdAt)}</time>
        </small>
      </span>
    </span>
  );
}

export function StoryPostPicker(props: { value: Post | undefined; onChange: (post: Post | undefined) => void }): JSX.Element {
  const [picking, setPicking] = createSignal(false);
  // Read when first asked for, and kept while the form is open.
  const pages = usePages<Post>((cursor) => actions.call('posts.byAuthor', { userId: state.user?.id ?? '', cursor }));
  const pick = () => {
    setPicking(true);
    if (!pages.loaded()) void pages.reload();
  };
  const choose = (post: Post) => {
    props.onChange(post);
    setPicking(false);
  };
  return (
    <>
      <Show
        when={props.value}
        fallback={
          <Button variant="secondary" size="sm" icon={Link2} class="story-link-post" onClick={pick} data-testid="story-link-post">
            {t('stories.linkPost')}
          </Button>
        }
      >
        {(post) => (
          <div class="story-linked" data-testid="story-linked-post">
            <Link2 size={18} aria-hidden="true" />
            <PostExcerpt post={post()} />
            <IconButton icon={X} label={t('stories.unlinkPost')} onClick={() => props.onChange(undefined)} />
          </div>
        )}
      </Show>
      <Show when={picking()}>
        <Dialog title={t('stories.linkPost')} onClose={() => setPicking(false)} testId="story-post-picker">
          <ul class="story-post-list">
            <For each={pages.items()}>
              {(post) => (
                <li>
                  <Button variant="ghost" class="story-post-choice" onClick={() => choose(post)} data-testid="story-post-choice">
                    <PostExcerpt post={post} />
                  </Button>
                </li>
              )}
            </For>
          </ul>
          <LoadMore pages={pages} count={pages.items().length} empty={t('stories.noPosts')} />
        </Dialog>
      </Show>
    </>
  );
}
