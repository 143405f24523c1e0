// What is written under a reel, over the gradient at its foot: the author (and the pet it was
// posted as), the caption with its mentions and hashtags linked (two lines, "more" opens the
// rest), the sound it uses (its title, or "original sound" of its creator) leading to the sound's
// page, and the credit of a duet or stitch leading to the original (or saying it is gone).
import { A } from '@solidjs/router';
import { Music, PawPrint, Repeat2 } from 'lucide-solid';
import { createSignal, type JSX, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { Post } from '../../state/posts.ts';
import { type Reel, soundCreatorName } from '../../state/reels.ts';
import { Badges } from '../Person.tsx';
import { PostText } from '../PostText.tsx';

export function ReelInfo(props: { reel: Reel; post: Post }): JSX.Element {
  const [expanded, setExpanded] = createSignal(false);
  const name = () => props.post.author.displayName || props.post.author.username;
  const long = () => props.post.text.length > 80 || props.post.text.includes('\n');
  return (
    <div class="reel-info">
      <p class="reel-byline">
        <A href={`/u/${encodeURIComponent(props.post.author.username)}`} class="reel-author">
          <bdi>{name()}</bdi>
        </A>
        <Badges badges={props.post.author.badges} />
        <Show when={props.post.pet}>
          {(pet) => (
            <A href={`/pets/${pet().id}`} class="reel-pet">
              <PawPrint size={14} aria-hidden="true" /> <bdi>{pet().name}</bdi>
            </A>
          )}
        </Show>
      </p>
      <Show when={props.post.text !== ''}>
        <div class={expanded() ? 'reel-caption expanded' : 'reel-caption'} data-testid="reel-caption">
          <PostText text={props.post.text} entities={props.post.entities} />
          <Show when={long()}>
            <button type="button" class="reel-caption-toggle" aria-expanded={expanded()} onClick={() => setExpanded(!expanded())}>
              {expanded() ? t('reels.less') : t('reels.captionMore')}
            </button>
          </Show>
        </div>
      </Show>
      <Show when={props.reel.remix}>
        {(remix) => {
          const shown = remix();
          return (
            <p class="reel-remix" data-testid="reel-remix">
              <Repeat2 size={16} aria-hidden="true" />
              {'reelId' in shown ? (
                <A href={`/reels/${shown.reelId}`}>
                  {t(shown.kind === 'duet' ? 'reels.duetWith' : 'reels.stitchWith', { username: shown.author.username })}
                </A>
              ) : (
                <span>{t('reels.remixUnavailable')}</span>
              )}
            </p>
          );
        }}
      </Show>
      <Show when={props.reel.sound}>
        {(sound) => (
          <A href={`/sounds/${sound().id}`} class="reel-sound" data-testid="reel-sound">
            <Music size={16} aria-hidden="true" />
            <span class="reel-sound-name">
              <Show when={sound().title} fallback={t('reels.originalSound', { name: soundCreatorName(sound()) })}>
                {(title) => <bdi>{title()}</bdi>}
              </Show>
            </span>
          </A>
        )}
      </Show>
    </div>
  );
}
