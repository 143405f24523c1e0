// Media by id wherever it is shown (post cards, messages, profiles): loading, unavailable, still
// processing (its blurred preview when it has one), or the image, video (or reel) or voice note itself.
import { type JSX, Match, Switch } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { type MediaItem, mediaItem } from '../../state/media.ts';
import { Picture } from './Picture.tsx';
import type { Layout } from './sources.ts';
import { VideoPlayer } from './VideoPlayer.tsx';
import { VoicePlayer } from './VoicePlayer.tsx';

export function MediaView(props: { id: string; layout: Layout; alt?: string }): JSX.Element {
  const item = () => mediaItem(props.id);
  const ready = () => {
    const found = item();
    return found !== null && found !== undefined && found.status === 'ready' ? found : undefined;
  };
  const kindOf = (kind: MediaItem['kind']) => (ready()?.kind === kind ? ready() : undefined);
  return (
    <Switch
      fallback={
        <span class="media-waiting" role="status" data-media-id={props.id}>
          {item() === undefined ? '…' : t('media.processing', { percent: item()?.progress ?? 0 })}
        </span>
      }
    >
      <Match when={item() === null}>
        <span class="media-waiting" data-media-id={props.id}>
          {t('media.unavailable')}
        </span>
      </Match>
      <Match when={kindOf('image')}>
        {(image) => <Picture item={image()} layout={props.layout} alt={props.alt ?? t('media.image')} />}
      </Match>
      <Match when={kindOf('video') ?? kindOf('reel')}>{(video) => <VideoPlayer item={video()} />}</Match>
      <Match when={kindOf('voice')}>{(voice) => <VoicePlayer item={voice()} />}</Match>
    </Switch>
  );
}
