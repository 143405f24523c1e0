// /hashtags/:tag: the posts with a hashtag that the user may see, newest first; /trending: the
// hashtags trending in the user's region.
import { useParams } from '@solidjs/router';
import { createEffect, For, type JSX, on } from 'solid-js';
import { LoadMore } from '../components/LoadMore.tsx';
import { PostCard } from '../components/PostCard.tsx';
import { Trending } from '../components/Trending.tsx';
import { usePages } from '../components/usePages.ts';
import { t } from '../i18n/index.ts';
import { actions } from '../state/store.ts';

export default function Hashtag(): JSX.Element {
  const params = useParams();
  const tag = () => params.tag ?? '';
  const pages = usePages((cursor) => actions.call('hashtags.page', { tag: tag(), cursor }));
  createEffect(on(tag, () => void pages.reload()));
  return (
    <section class="card" aria-labelledby="hashtag-title" data-testid="hashtag-page">
      <h1 id="hashtag-title">#{tag()}</h1>
      <ol class="posts" aria-label={`#${tag()}`}>
        <For each={pages.items()}>
          {(post) => (
            <li>
              <PostCard post={post} />
            </li>
          )}
        </For>
      </ol>
      <LoadMore pages={pages} count={pages.items().length} empty={t('hashtag.empty')} />
    </section>
  );
}

export function TrendingPage(): JSX.Element {
  return (
    <div class="card">
      <Trending />
    </div>
  );
}
