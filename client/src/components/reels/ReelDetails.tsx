// A reel's details before posting: its caption (@mentions and #hashtags are linked once posted),
// the cover frame (a slider over the reel showing that frame), who may see it, whether others may
// duet or stitch it, posting as a pet, and a title for its original sound when its audio is its
// own. Posting shows each step with its progress (publish.ts); a failure says why and may be
// retried.
import { ArrowLeft } from 'lucide-solid';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import { REEL_AUDIENCES, REEL_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { CheckField, InputField, SelectField, TextAreaField } from '../Field.tsx';
import { ErrorAlert } from '../FormFooter.tsx';
import { clock } from '../media/sources.ts';
import { PostAsField } from '../PostAsField.tsx';
import { Button, IconButton } from '../ui/Button.tsx';
import { type Choices, ownSound, resultMs } from './compose.ts';
import { cssFilter } from './filters.ts';
import type { Details, Step } from './publish.ts';

type Audience = (typeof REEL_AUDIENCES)[number];

/** Where in the clip the reel's moment `ms` is (a stitch begins with the original, shown as the clip's first frame). */
const clipMomentMs = (choices: Choices, ms: number) =>
  choices.trim.startMs + Math.max(0, ms - (choices.stitch === undefined ? 0 : choices.stitch.endMs - choices.stitch.startMs));

export function ReelDetails(props: {
  url: string;
  choices: Choices;
  progress: { step: Step; percent: number; error: string | undefined };
  onBack: () => void;
  onPost: (details: Details) => void;
}): JSX.Element {
  const [caption, setCaption] = createSignal('');
  const [coverMs, setCoverMs] = createSignal(0);
  const [audience, setAudience] = createSignal<Audience>('public');
  const [allowDuet, setAllowDuet] = createSignal(true);
  const [allowStitch, setAllowStitch] = createSignal(true);
  const [petId, setPetId] = createSignal('');
  const [soundTitle, setSoundTitle] = createSignal('');
  let cover: HTMLVideoElement | undefined;
  let title: HTMLHeadingElement | undefined;
  // A new step: focus moves to its title.
  onMount(() => title?.focus());
  const busy = () => !['idle', 'failed', 'done'].includes(props.progress.step);
  const lengthMs = () => resultMs(props.choices);
  /** The step under way, said with its progress. */
  const shown = () => {
    const step = props.progress.step;
    return step === 'idle' || step === 'failed' ? undefined : step;
  };

  const seek = (ms: number) => {
    setCoverMs(ms);
    if (cover !== undefined) cover.currentTime = clipMomentMs(props.choices, ms) / 1000;
  };

  const post = (event: Event) => {
    event.preventDefault();
    if (busy()) return;
    props.onPost({
      audience: audience(),
      allowDuet: allowDuet(),
      allowStitch: allowStitch(),
      ...(caption().trim() === '' ? {} : { caption: caption().trim() }),
      ...(coverMs() === 0 ? {} : { coverMs: coverMs() }),
      ...(petId() === '' ? {} : { petId: petId() }),
      ...(ownSound(props.choices) && soundTitle().trim() !== '' ? { soundTitle: soundTitle().trim() } : {}),
    });
  };

  return (
    <form class="reel-details" onSubmit={post} aria-labelledby="reel-details-title" data-testid="reel-details">
      <header class="reel-details-head">
        <IconButton
          icon={ArrowLeft}
          class="reel-back"
          label={t('reelCreate.backToEdit')}
          onClick={() => props.onBack()}
          disabled={busy()}
        />
        <h1 id="reel-details-title" tabIndex={-1} ref={title}>
          {t('reelCreate.detailsTitle')}
        </h1>
      </header>
      <div class="reel-details-body">
        <div class="reel-cover">
          <video
            ref={cover}
            class="reel-cover-frame"
            src={props.url}
            muted
            playsinline
            preload="auto"
            style={{ filter: cssFilter(props.choices.filter) }}
            aria-label={t('reelCreate.coverFrame', { time: clock(coverMs()) })}
            onLoadedData={() => seek(coverMs())}
          />
          <label class="reel-cover-label" for="reel-cover">
            {t('reelCreate.cover')}
          </label>
          <input
            id="reel-cover"
            type="range"
            dir="ltr"
            min={0}
            max={Math.max(0, lengthMs() - 100)}
            step={100}
            value={coverMs()}
            aria-valuetext={clock(coverMs())}
            onInput={(event) => seek(Number(event.currentTarget.value))}
          />
        </div>
        <div class="reel-details-fields">
          <TextAreaField
            id="reel-caption"
            label={t('reelCreate.caption')}
            value={caption()}
            onInput={setCaption}
            maxlength={REEL_LIMITS.captionChars}
            rows={4}
            describedBy="reel-caption-hint"
          />
          <small id="reel-caption-hint" class="hint counter">
            {t('reelCreate.captionHint')} · {caption().length}/{REEL_LIMITS.captionChars}
          </small>
          <SelectField
            id="reel-audience"
            label={t('reelCreate.audience')}
            value={audience()}
            onChange={(value) => setAudience(value as Audience)}
          >
            <For each={[...REEL_AUDIENCES]}>{(each) => <option value={each}>{t(`reelCreate.audience.${each}`)}</option>}</For>
          </SelectField>
          <CheckField label={t('reelCreate.allowDuet')} checked={allowDuet()} onChange={setAllowDuet} switch />
          <CheckField label={t('reelCreate.allowStitch')} checked={allowStitch()} onChange={setAllowStitch} switch />
          <PostAsField id="reel-pet" value={petId()} onChange={setPetId} />
          <Show when={ownSound(props.choices)}>
            <InputField
              id="reel-sound-title"
              label={t('reelCreate.soundTitle')}
              value={soundTitle()}
              maxlength={REEL_LIMITS.soundTitleChars}
              dir="auto"
              onInput={setSoundTitle}
            />
          </Show>
          <Show when={shown()}>
            {(step) => (
              <div class="reel-progress" role="status" data-testid="reel-progress">
                <span id="reel-progress-text">{t(`reelCreate.step.${step()}`, { percent: props.progress.percent })}</span>
                <progress max={100} value={props.progress.percent} aria-labelledby="reel-progress-text" />
              </div>
            )}
          </Show>
          <ErrorAlert text={props.progress.error} />
          <Button type="submit" disabled={busy()} data-testid="reel-post">
            {props.progress.step === 'failed' ? t('reelCreate.retry') : t('reelCreate.post')}
          </Button>
        </div>
      </div>
    </form>
  );
}
