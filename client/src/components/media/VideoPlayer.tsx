// A video of ready media: its thumbnail as the poster, the browser's controls, and HLS (adaptive
// renditions) attached once the player is near the screen.
import { type JSX, onCleanup, onMount } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { MediaItem } from '../../state/media.ts';
import { actions, errorText } from '../../state/store.ts';
import { attachHls } from './hls.ts';
import { clock } from './sources.ts';

export function VideoPlayer(props: { item: MediaItem }): JSX.Element {
  let video: HTMLVideoElement | undefined;
  const label = () => t('media.videoLength', { duration: clock(props.item.durationMs ?? 0) });
  onMount(() => {
    const element = video;
    const playlist = props.item.urls?.['master.m3u8'];
    if (element === undefined || playlist === undefined) return;
    let release: (() => void) | undefined;
    let gone = false;
    const attach = () => {
      attachHls(element, playlist).then(
        (stop) => {
          if (gone) stop();
          else release = stop;
        },
        (error: unknown) => actions.toast(errorText(error), 'error'),
      );
    };
    if (typeof IntersectionObserver === 'undefined') attach();
    else {
      const observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          observer.disconnect();
          attach();
        },
        { rootMargin: '400px 0px' },
      );
      observer.observe(element);
      onCleanup(() => observer.disconnect());
    }
    onCleanup(() => {
      gone = true;
      release?.();
    });
  });
  return (
    // biome-ignore lint/a11y/useMediaCaption: uploaded videos come without captions, and the pipeline makes none
    <video
      ref={video}
      class="video"
      controls
      playsinline
      preload="none"
      poster={props.item.urls?.['thumb.jpg']}
      width={props.item.width ?? undefined}
      height={props.item.height ?? undefined}
      style={{ 'aspect-ratio': props.item.width && props.item.height ? `${props.item.width} / ${props.item.height}` : undefined }}
      aria-label={label()}
      data-testid="video"
      data-media-id={props.item.id}
    />
  );
}
