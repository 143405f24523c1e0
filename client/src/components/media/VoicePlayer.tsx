// A voice note: play/pause, its 64 peaks drawn as bars (the played part in the accent colour),
// and the time played or the length. Opus in Ogg where the browser plays it, AAC in MP4
// otherwise (Safari).
import { createSignal, For, type JSX, onCleanup } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { MediaItem } from '../../state/media.ts';
import { clock } from './sources.ts';

const FLAT = Array.from({ length: 64 }, () => 24);

export function VoicePlayer(props: { item: MediaItem }): JSX.Element {
  const [playing, setPlaying] = createSignal(false);
  const [position, setPosition] = createSignal(0);
  const [measured, setMeasured] = createSignal(0);
  let audio: HTMLAudioElement | undefined;
  const peaks = () => (props.item.waveform !== null && props.item.waveform.length > 0 ? props.item.waveform : FLAT);
  // The server's length, else what the browser finds once it has read the file's header.
  const length = () => props.item.durationMs || measured();
  const played = () => (length() > 0 ? position() / length() : 0);
  const toggle = () => {
    if (audio === undefined) return;
    if (audio.paused) void audio.play().catch(() => setPlaying(false));
    else audio.pause();
  };
  onCleanup(() => audio?.pause());
  return (
    <div class="voice" data-testid="voice" data-media-id={props.item.id}>
      <button
        type="button"
        class="voice-play"
        aria-label={playing() ? t('media.pause') : t('media.play')}
        aria-pressed={playing()}
        onClick={toggle}
      >
        {playing() ? '❚❚' : '▶'}
      </button>
      <svg
        class="waveform"
        viewBox="0 0 128 32"
        preserveAspectRatio="none"
        role="img"
        aria-label={t('media.voiceLength', { duration: clock(length()) })}
        data-testid="waveform"
      >
        <For each={peaks()}>
          {(peak, index) => {
            const height = Math.max(2, (peak / 255) * 30);
            return (
              <rect
                x={index() * 2}
                y={16 - height / 2}
                width={1.4}
                height={height}
                rx={0.7}
                class={index() / peaks().length < played() ? 'played' : undefined}
              />
            );
          }}
        </For>
      </svg>
      <span class="voice-time" aria-hidden="true">
        {clock(playing() || position() > 0 ? position() : length())}
      </span>
      {/* biome-ignore lint/a11y/useMediaCaption: a voice note is the user's own recording; nothing makes captions for it */}
      <audio
        ref={audio}
        preload="metadata"
        onLoadedMetadata={(event) => {
          const seconds = event.currentTarget.duration;
          if (Number.isFinite(seconds)) setMeasured(Math.round(seconds * 1000));
        }}
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => {
          setPlaying(false);
          setPosition(0);
        }}
        onTimeUpdate={(event) => setPosition(event.currentTarget.currentTime * 1000)}
      >
        <source src={props.item.urls?.['voice.ogg']} type='audio/ogg; codecs="opus"' />
        <source src={props.item.urls?.['voice.m4a']} type="audio/mp4" />
      </audio>
    </div>
  );
}
