// One tile of the call screen: a person's camera (or their avatar's initial when it is off) or a
// shared screen, their name, muted, who speaks (a ring), and the connection quality to them. A
// remote camera's simulcast layer follows the tile's width in device pixels.
import { MicOff, Signal, SignalLow, SignalMedium } from 'lucide-solid';
import { createEffect, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { t } from '../../i18n/index.ts';
import { callActions } from '../../state/call.ts';
import type { Quality } from '../../state/callMedia.ts';
import { Avatar } from '../Person.tsx';
import type { Tile } from './tiles.ts';

const QUALITY_ICONS = { good: Signal, fair: SignalMedium, poor: SignalLow } as const;
const QUALITY_TEXT = { good: 'calls.quality.good', fair: 'calls.quality.fair', poor: 'calls.quality.poor' } as const;

export function CallTile(props: {
  tile: Tile;
  name: string;
  avatarMediaId: string | null;
  speaking: boolean;
  quality: Quality | undefined;
  compact?: boolean;
}): JSX.Element {
  let box: HTMLElement | undefined;
  onMount(() => {
    if (box === undefined || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const producerId = props.tile.producerId;
      if (entry === undefined || producerId === undefined || props.tile.source !== 'camera') return;
      void callActions.setSize(producerId, entry.contentRect.width * (window.devicePixelRatio || 1));
    });
    observer.observe(box);
    onCleanup(() => observer.disconnect());
  });
  const label = () => {
    if (props.tile.source === 'camera') return props.name;
    return props.tile.self ? t('calls.yourScreen') : t('calls.screenOf', { name: props.name });
  };
  return (
    <figure
      ref={box}
      class="call-tile"
      classList={{ speaking: props.speaking, screen: props.tile.source === 'screen', compact: props.compact === true }}
      data-testid="call-tile"
      data-user={props.tile.userId}
      data-source={props.tile.source}
      data-quality={props.quality}
    >
      <Show when={props.tile.video} fallback={<Avatar name={props.name} mediaId={props.avatarMediaId} large />}>
        {(track) => (
          <video
            ref={(element) => createEffect(() => Object.assign(element, { srcObject: new MediaStream([track()]) }))}
            autoplay
            playsinline
            muted
            classList={{ mirrored: props.tile.self && props.tile.source === 'camera' }}
          />
        )}
      </Show>
      <figcaption class="call-tile-label">
        <Show when={props.tile.muted && props.tile.source === 'camera'}>
          <MicOff size={14} aria-label={t('calls.muted')} role="img" />
        </Show>
        <span class="call-tile-name">
          <bdi>{label()}</bdi>
        </span>
        <Show when={props.speaking}>
          <span class="visually-hidden">{t('calls.speaking')}</span>
        </Show>
        <Show when={props.quality}>
          {(quality) => (
            <span class={`call-quality ${quality()}`} title={t(QUALITY_TEXT[quality()])}>
              <Dynamic component={QUALITY_ICONS[quality()]} size={14} aria-label={t(QUALITY_TEXT[quality()])} role="img" />
            </span>
          )}
        </Show>
      </figcaption>
    </figure>
  );
}
