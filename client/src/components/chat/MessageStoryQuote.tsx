// The story a message answers (`story` on ChatMessage, from stories.reply): a small thumbnail of
// the story's picture (a video's poster) and "Replied to / Reacted to your story" (their story, for
// the sender), while the story lasts; once it expired (or its media is gone) "Story no longer
// available". The quote turns over by itself at expiresAt.
import { createSignal, type JSX, onCleanup, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { ChatMessage } from '../../state/messageLog.ts';
import { storyPicture } from '../media/sources.ts';

type StoryQuote = NonNullable<ChatMessage['story']>;
/** setTimeout holds at most this long (about 24.8 days). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** The story's picture (an image's smallest rendition, a video's poster) while its media loads and is ready. */
function StoryThumb(props: { mediaId: string }): JSX.Element {
  const src = () => storyPicture(props.mediaId);
  return (
    <Show when={src()} fallback={<span class="story-quote-thumb" />}>
      {(url) => <img class="story-quote-thumb" src={url()} alt={t('chats.storyThumb')} data-media-id={props.mediaId} />}
    </Show>
  );
}

export function MessageStoryQuote(props: { story: StoryQuote; mine: boolean }): JSX.Element {
  const [now, setNow] = createSignal(Date.now());
  const ends = () => new Date(props.story.expiresAt).getTime();
  const left = ends() - Date.now();
  if (left > 0 && left < LONGEST_TIMER_MS) {
    const timer = setTimeout(() => setNow(Date.now()), left + 50);
    onCleanup(() => clearTimeout(timer));
  }
  const shown = () => (ends() > now() ? props.story.mediaId : null);
  const label = () => {
    const reaction = props.story.kind === 'reaction';
    if (props.mine) return reaction ? t('chats.storyReactedTheirs') : t('chats.storyRepliedTheirs');
    return reaction ? t('chats.storyReactedYours') : t('chats.storyRepliedYours');
  };
  return (
    <Show
      when={shown()}
      fallback={
        <p class="story-quote gone" data-testid="story-quote">
          {t('chats.storyGone')}
        </p>
      }
    >
      {(mediaId) => (
        <div class="story-quote" data-testid="story-quote">
          <StoryThumb mediaId={mediaId()} />
          <span>{label()}</span>
        </div>
      )}
    </Show>
  );
}
