// /stories/archive: the user's own stories, active and past, newest first (`stories.archive`, a page
// at a time), as a grid of thumbnails with their date, their views and a mark on those still up.
// One opens the story viewer on the loaded archive from that story; a story deleted there leaves
// the grid. Only the user sees their archive; what is kept is set in /settings/stories.
import { Eye, Settings } from 'lucide-solid';
import { createSignal, For, type JSX, lazy, onMount, Show } from 'solid-js';
import { LoadMore } from '../components/LoadMore.tsx';
import { thumbOf } from '../components/media/sources.ts';
import { IconButton } from '../components/ui/Button.tsx';
import { usePages } from '../components/usePages.ts';
import { formatNumber, locale, t } from '../i18n/index.ts';
import { actions } from '../state/store.ts';
import type { Story } from '../state/stories.ts';

const StoryViewer = lazy(() => import('../components/stories/StoryViewer.tsx'));

export default function StoryArchive(): JSX.Element {
  const pages = usePages((cursor) => actions.call('stories.archive', { cursor }));
  onMount(() => void pages.reload());
  /** The archive as it was when a story was opened, and which one. */
  const [playing, setPlaying] = createSignal<{ stories: Story[]; from: number } | undefined>();
  const date = (at: string) => new Date(at).toLocaleDateString(locale(), { day: 'numeric', month: 'short', year: 'numeric' });
  return (
    <section class="card" aria-labelledby="story-archive-title">
      <div class="row spread story-archive-head">
        <h1 id="story-archive-title">{t('storyArchive.title')}</h1>
        <IconButton icon={Settings} label={t('settings.stories')} href="/settings/stories" />
      </div>
      <p class="hint">{t('storyArchive.help')}</p>
      <ul class="story-archive" data-testid="story-archive">
        <For each={pages.items()}>
          {(story, at) => (
            <li>
              <button
                type="button"
                class="story-archive-tile"
                onClick={() => setPlaying({ stories: pages.items(), from: at() })}
                data-testid="archive-story"
                data-story-id={story.id}
              >
                <Show when={thumbOf(story.mediaId)} fallback={<span class="story-archive-thumb" />}>
                  {(src) => <img class="story-archive-thumb" src={src()} alt="" />}
                </Show>
                <Show when={!story.expired}>
                  <span class="story-archive-active">{t('storyArchive.active')}</span>
                </Show>
                <span class="story-archive-meta">
                  <time datetime={story.createdAt}>{date(story.createdAt)}</time>
                  <span class="story-archive-views">
                    <Eye size={14} aria-hidden="true" />
                    <span class="visually-hidden">{t('stories.views', { count: story.views ?? 0 })}</span>
                    <span aria-hidden="true">{formatNumber(story.views ?? 0)}</span>
                  </span>
                </span>
              </button>
            </li>
          )}
        </For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('highlights.noArchive')} illustrated />
      <Show when={playing()}>
        {(open) => (
          <StoryViewer
            people={[(open().stories[open().from] as Story).author]}
            start={0}
            archive={open()}
            onClose={() => setPlaying(undefined)}
            onSeen={() => {}}
            onRemoved={(_authorId, storyId) => pages.setItems((all) => all.filter((each) => each.id !== storyId))}
            onMuted={() => {}}
          />
        )}
      </Show>
    </section>
  );
}
