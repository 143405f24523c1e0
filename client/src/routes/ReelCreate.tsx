// /create/reel: making a reel, as short-video apps do, in steps on a dark full-screen stage: film
// it (or pick a video), review it (filter, trim, sound), then its details and post. A duet
// (?duet=<reelId>) films beside the original; a stitch (?stitch=<reelId>) first chooses the part
// of the original that plays before the clip; ?sound=<soundId> starts with that sound chosen. An
// original whose author turned duets or stitches off is said so before anything is filmed.
import { useNavigate, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, type JSX, Match, onCleanup, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { MEDIA_LIMITS } from '../../../protocol/lists.ts';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { type Choices, firstStitch, minimumClipMs, type Range } from '../components/reels/compose.ts';
import type { FilterChoice } from '../components/reels/filters.ts';
import { createPublisher, reelErrorText } from '../components/reels/publish.ts';
import { type Clip, ReelCamera } from '../components/reels/ReelCamera.tsx';
import { ReelDetails } from '../components/reels/ReelDetails.tsx';
import { ReelEdit } from '../components/reels/ReelEdit.tsx';
import { ReelFilterDefs } from '../components/reels/ReelFilterDefs.tsx';
import type { Sound } from '../components/reels/SoundSheet.tsx';
import { StitchPick } from '../components/reels/StitchPick.tsx';
import { Button } from '../components/ui/Button.tsx';
import { t } from '../i18n/index.ts';
import type { MediaItem } from '../state/media.ts';
import { actions } from '../state/store.ts';

type Step = 'stitch' | 'camera' | 'edit' | 'details';
type Remix = { kind: 'duet' | 'stitch'; reelId: string; media: MediaItem; allowed: boolean };

const param = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** How long a clip lasts: its metadata, or (a recorded WebM, which says none) the end found by seeking far. */
function measure(url: string, filmedMs: number): Promise<number> {
  return new Promise((resolve) => {
    const probe = document.createElement('video');
    probe.preload = 'metadata';
    probe.muted = true;
    const done = (ms: number) => {
      probe.removeAttribute('src');
      resolve(Math.round(ms));
    };
    const timer = setTimeout(() => done(filmedMs), 5000);
    const read = () => {
      if (!Number.isFinite(probe.duration)) return false;
      clearTimeout(timer);
      done(probe.duration * 1000);
      return true;
    };
    probe.addEventListener('loadedmetadata', () => {
      if (!read()) {
        probe.addEventListener('durationchange', read);
        probe.currentTime = 1e7;
      }
    });
    probe.addEventListener('error', () => {
      clearTimeout(timer);
      done(filmedMs);
    });
    probe.src = url;
  });
}

export default function ReelCreate(): JSX.Element {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const duetId = param(params.duet);
  const stitchId = duetId === undefined ? param(params.stitch) : undefined;
  const soundId = duetId === undefined && stitchId === undefined ? param(params.sound) : undefined;
  const [step, setStep] = createSignal<Step>(stitchId === undefined ? 'camera' : 'stitch');
  const [clip, setClip] = createSignal<(Clip & { url: string }) | undefined>();
  const [sound, setSound] = createSignal<Sound | undefined>();
  const [stitchRange, setStitchRange] = createSignal<Range>({ startMs: 0, endMs: 0 });
  const [choices, setChoices] = createStore<Choices>({ clipMs: 0, trim: { startMs: 0, endMs: 0 }, filter: 'none' });
  const publisher = createPublisher();
  onCleanup(() => {
    // Leaving mid-upload gives the unfinished upload up.
    publisher.cancel();
    const current = clip();
    if (current !== undefined) URL.revokeObjectURL(current.url);
  });

  const [remix] = createResource(async (): Promise<Remix | undefined> => {
    const reelId = duetId ?? stitchId;
    if (reelId === undefined) return undefined;
    const reel = await actions.call('reels.get', { reelId });
    const [media] = (await actions.call('media.get', { ids: [reel.mediaId] })).items;
    if (media === undefined) throw new Error(t('reelCreate.error.notFound'));
    const kind = duetId === undefined ? 'stitch' : 'duet';
    if (kind === 'stitch') setStitchRange(firstStitch(media.durationMs ?? reel.durationMs));
    return {
      kind,
      reelId,
      media: { ...media, durationMs: media.durationMs ?? reel.durationMs },
      allowed: kind === 'duet' ? reel.allowDuet : reel.allowStitch,
    };
  });
  createResource(
    () => soundId,
    async (id) => {
      try {
        chooseSound(await actions.call('sounds.get', { soundId: id }));
      } catch (error) {
        actions.toast(reelErrorText(error), 'error');
      }
    },
  );

  function chooseSound(chosen: Sound | undefined) {
    setSound(chosen);
    setChoices('sound', chosen === undefined ? undefined : { soundId: chosen.id, volume: 100, clipVolume: 0 });
  }

  const took = async (taken: Clip) => {
    const previous = clip();
    if (previous !== undefined) URL.revokeObjectURL(previous.url);
    const url = URL.createObjectURL(taken.file);
    const clipMs = await measure(url, taken.durationMs);
    const current = remix();
    setChoices({
      clipMs,
      // A clip longer than a reel starts trimmed to a reel's longest.
      trim: { startMs: 0, endMs: Math.min(clipMs, MEDIA_LIMITS.reel.maxDurationMs) },
      duet: current?.kind === 'duet' ? { reelId: current.reelId, durationMs: current.media.durationMs ?? 0, clipVolume: 100 } : undefined,
      stitch: current?.kind === 'stitch' ? { reelId: current.reelId, ...stitchRange() } : undefined,
    });
    setClip({ ...taken, url });
    setStep('edit');
  };

  const mode = () => {
    const current = remix();
    return current === undefined ? undefined : t(current.kind === 'duet' ? 'reelCreate.duet' : 'reelCreate.stitch');
  };

  return (
    <div class="reel-create" data-testid="reel-create">
      <ReelFilterDefs />
      <Show
        when={!remix.loading}
        fallback={
          <p class="reel-create-wait" role="status">
            {t('form.working')}
          </p>
        }
      >
        <Switch>
          <Match when={remix.error !== undefined}>
            <div class="reel-create-stop">
              <ErrorAlert text={reelErrorText(remix.error)} />
              <Button variant="secondary" onClick={() => navigate('/create')}>
                {t('reelCreate.close')}
              </Button>
            </div>
          </Match>
          <Match when={remix()?.allowed === false}>
            <div class="reel-create-stop" data-testid="reel-remix-refused">
              <ErrorAlert text={t(remix()?.kind === 'duet' ? 'reelCreate.duetOff' : 'reelCreate.stitchOff')} />
              <Button variant="secondary" onClick={() => navigate('/create')}>
                {t('reelCreate.close')}
              </Button>
            </div>
          </Match>
          <Match when={step() === 'stitch' && remix()}>
            {(current) => (
              <StitchPick original={current().media} value={stitchRange()} onChange={setStitchRange} onNext={() => setStep('camera')} />
            )}
          </Match>
          <Match when={step() === 'camera'}>
            <ReelCamera
              filter={choices.filter}
              onFilter={(filter: FilterChoice) => setChoices('filter', filter)}
              minMs={
                remix()?.kind === 'duet'
                  ? MEDIA_LIMITS.reel.minDurationMs
                  : minimumClipMs(stitchId === undefined ? undefined : stitchRange())
              }
              original={remix()?.kind === 'duet' ? remix()?.media : undefined}
              mode={mode()}
              onClip={(taken) => void took(taken)}
              onClose={() => (stitchId === undefined ? navigate('/create') : setStep('stitch'))}
            />
          </Match>
          <Match when={step() === 'edit' && clip()}>
            {(current) => (
              <ReelEdit
                url={current().url}
                choices={choices}
                onTrim={(trim) => setChoices('trim', trim)}
                onFilter={(filter) => setChoices('filter', filter)}
                sound={sound()}
                onSound={chooseSound}
                onVolumes={(volumes) => {
                  if (choices.sound !== undefined) setChoices('sound', volumes);
                  else if (choices.duet !== undefined && volumes.clipVolume !== undefined)
                    setChoices('duet', 'clipVolume', volumes.clipVolume);
                }}
                original={remix()?.kind === 'duet' ? remix()?.media : undefined}
                onRetake={() => setStep('camera')}
                onNext={() => setStep('details')}
              />
            )}
          </Match>
          <Match when={step() === 'details' && clip()}>
            {(current) => (
              <ReelDetails
                url={current().url}
                choices={choices}
                progress={publisher.state}
                onBack={() => setStep('edit')}
                onPost={async (details) => {
                  const reel = await publisher.publish(current().file, choices, details);
                  if (reel !== undefined) {
                    actions.toast(t('reelCreate.posted'));
                    navigate(`/reels/${reel.post.id}`);
                  }
                }}
              />
            )}
          </Match>
        </Switch>
      </Show>
    </div>
  );
}
