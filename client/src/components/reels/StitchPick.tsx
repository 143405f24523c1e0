// The first step of a stitch: choosing the part of the original (1 to 5 s) that plays before the
// user's clip, with a range over its timeline; the part plays on a loop while it is chosen.
import { type JSX, onCleanup, onMount } from 'solid-js';
import { REEL_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import type { MediaItem } from '../../state/media.ts';
import { attachHls } from '../media/hls.ts';
import { Button } from '../ui/Button.tsx';
import type { Range } from './compose.ts';
import { RangeControl } from './RangeControl.tsx';

export function StitchPick(props: {
  original: MediaItem;
  value: Range;
  onChange: (range: Range) => void;
  onNext: () => void;
}): JSX.Element {
  let video: HTMLVideoElement | undefined;
  onMount(() => {
    const playlist = props.original.urls?.['master.m3u8'];
    if (video === undefined || playlist === undefined) return;
    let detach: (() => void) | undefined;
    let gone = false;
    attachHls(video, playlist).then(
      (stop) => {
        if (gone) stop();
        else detach = stop;
      },
      () => undefined,
    );
    onCleanup(() => {
      gone = true;
      detach?.();
    });
  });
  const show = (range: Range, moved: 'start' | 'end') => {
    props.onChange(range);
    if (video === undefined) return;
    video.pause();
    video.currentTime = (moved === 'start' ? range.startMs : range.endMs - 40) / 1000;
  };
  return (
    <section class="reel-edit" aria-label={t('reelCreate.stitchTitle')} data-testid="reel-stitch">
      <div class="reel-edit-stage">
        {/* biome-ignore lint/a11y/useMediaCaption: a reel comes without captions */}
        <video
          ref={video}
          class="reel-edit-video"
          playsinline
          controls
          poster={props.original.urls?.['thumb.jpg']}
          aria-label={t('reelCreate.original')}
          onTimeUpdate={(event) => {
            const element = event.currentTarget;
            if (element.currentTime * 1000 >= props.value.endMs || element.currentTime * 1000 < props.value.startMs - 200)
              element.currentTime = props.value.startMs / 1000;
          }}
        />
      </div>
      <div class="reel-edit-tools">
        <h1 class="reel-tools-title">{t('reelCreate.stitchTitle')}</h1>
        <p class="hint">{t('reelCreate.stitchHint', { min: REEL_LIMITS.stitchMinMs / 1000, max: REEL_LIMITS.stitchMaxMs / 1000 })}</p>
        <RangeControl
          label={t('reelCreate.stitchPart')}
          startLabel={t('reelCreate.trimStart')}
          endLabel={t('reelCreate.trimEnd')}
          totalMs={props.original.durationMs ?? 0}
          value={props.value}
          minMs={REEL_LIMITS.stitchMinMs}
          maxMs={REEL_LIMITS.stitchMaxMs}
          onChange={show}
          testId="reel-stitch-range"
        />
        <Button onClick={() => props.onNext()} data-testid="reel-stitch-next">
          {t('reelCreate.next')}
        </Button>
      </div>
    </section>
  );
}
