// /saved: the posts the user saved, most recently saved first, as the same cards as the feed, the
// next page loading as the end of the list comes into view. Unsaving a post here takes its card
// out, with Undo in the toast (which saves it again where it was). Saves made on the user's other
// devices arrive live (`saved.changed`): an unsaved post leaves, a newly saved one goes on top.
// The list is read afresh on every visit: a post unsaved on its own page must not come back.
import { For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { ProtocolError } from '../../../protocol/client.ts';
import { LoadMore } from '../components/LoadMore.tsx';
import { PostCard } from '../components/PostCard.tsx';
import { PostSkeleton } from '../components/ui/Skeleton.tsx';
import { usePages } from '../components/usePages.ts';
import { t } from '../i18n/index.ts';
import type { Post } from '../state/posts.ts';
import { actions, errorText } from '../state/store.ts';

interface TakenOut {
  at: number;
  post: Post;
}

export default function Saved(): JSX.Element {
  const pages = usePages((cursor) => actions.call('posts.saved', { cursor }));
  /** Cards taken out, by post id: where they were, for Undo (even when the live event took a card out before the answer came). */
  const takenOut = new Map<string, TakenOut>();

  const takeOut = (postId: string): TakenOut | undefined => {
    const at = pages.items().findIndex((post) => post.id === postId);
    const post = pages.items()[at];
    if (post === undefined) return takenOut.get(postId);
    pages.setItems((items) => items.filter((each) => each.id !== postId));
    const entry = { at, post: { ...post, saved: true } };
    takenOut.set(postId, entry);
    return entry;
  };

  const putBack = (entry: TakenOut) => {
    if (pages.items().some((post) => post.id === entry.post.id)) return;
    pages.setItems((items) => {
      const next = [...items];
      next.splice(Math.min(entry.at, next.length), 0, entry.post);
      return next;
    });
  };

  /** Unsaved here and taken by the server: the card goes, and the toast offers to save it again. */
  const unsaved = (postId: string) => {
    const entry = takeOut(postId);
    if (entry === undefined) return;
    actions.toast(t('post.unsaved'), 'info', {
      label: t('toast.undo'),
      run: () => {
        putBack(entry);
        actions.call('posts.save', { postId, saved: true }).catch((error: unknown) => {
          takeOut(postId);
          actions.toast(errorText(error), 'error');
        });
      },
    });
  };

  /** Saved on another device: on top, as the server shows it to this user now. */
  const savedElsewhere = async (postId: string) => {
    if (pages.items().some((post) => post.id === postId)) return;
    try {
      const post = await actions.call('posts.get', { postId });
      if (!pages.items().some((each) => each.id === postId)) pages.setItems((items) => [post, ...items]);
    } catch (error) {
      if (!(error instanceof ProtocolError && error.code === 'NOT_FOUND')) actions.toast(errorText(error), 'error');
    }
  };

  onMount(() => {
    void pages.reload();
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name !== 'saved.changed') return;
        const { postId, saved } = event.body as { postId: string; saved: boolean };
        if (saved) void savedElsewhere(postId);
        else takeOut(postId);
      }),
    );
  });

  return (
    <section class="stack" aria-labelledby="saved-title" data-testid="saved-page">
      <h1 id="saved-title">{t('saved.title')}</h1>
      <ol class="posts" aria-label={t('saved.title')}>
        <For each={pages.items()}>
          {(post) => (
            <li>
              <PostCard
                post={post}
                onSaved={(saved) => !saved && unsaved(post.id)}
                onGone={() => pages.setItems((items) => items.filter((each) => each.id !== post.id))}
              />
            </li>
          )}
        </For>
      </ol>
      <Show when={pages.loading() && pages.items().length === 0}>
        <PostSkeleton count={3} />
      </Show>
      <LoadMore pages={pages} count={pages.items().length} empty={t('saved.empty')} emptyHint={t('saved.emptyHint')} illustrated />
    </section>
  );
}
