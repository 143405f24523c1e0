// "Add sound": the sounds most used in the user's language (sounds.trending), each with a preview
// to play (its audio file, `audioFile` of its media, signed by media.get) and a button to use it.
// One preview plays at a time; closing the sheet stops it.
import { Pause, Play } from 'lucide-solid';
import { createResource, createSignal, For, type JSX, onCleanup, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { t } from '../../i18n/index.ts';
import { mediaItem } from '../../state/media.ts';
import { actions } from '../../state/store.ts';
import { Dialog } from '../Dialog.tsx';
import { ErrorAlert } from '../FormFooter.tsx';
import { clock } from '../media/sources.ts';
import { Button, IconButton } from '../ui/Button.tsx';
import { reelErrorText } from './publish.ts';

export type Sound = CallResponse<'sounds.get'>;

/** A sound's name: its title, or "original sound – <creator>". */
export const soundName = (sound: Pick<Sound, 'title' | 'creator'>) =>
  sound.title ?? t('reelCreate.originalSound', { name: sound.creator.displayName });

/** The signed URL of a sound's audio, once its media is known. */
export const soundUrl = (sound: Sound) => mediaItem(sound.mediaId)?.urls?.[sound.audioFile];

export function SoundSheet(props: { onChoose: (sound: Sound) => void; onClose: () => void }): JSX.Element {
  const [sounds] = createResource(async () => (await actions.call('sounds.trending', {})).items);
  const [playing, setPlaying] = createSignal<string | undefined>();
  const audio = new Audio();
  audio.addEventListener('ended', () => setPlaying(undefined));
  onCleanup(() => audio.pause());

  const preview = (sound: Sound) => {
    if (playing() === sound.id) {
      audio.pause();
      setPlaying(undefined);
      return;
    }
    const url = soundUrl(sound);
    if (url === undefined) return;
    audio.src = url;
    setPlaying(sound.id);
    audio.play().catch(() => setPlaying(undefined));
  };

  return (
    <Dialog title={t('reelCreate.addSound')} onClose={props.onClose} testId="reel-sounds">
      <Show when={!sounds.error} fallback={<ErrorAlert text={reelErrorText(sounds.error)} />}>
        <Show when={sounds()} fallback={<p class="hint">{t('form.working')}</p>}>
          {(items) => (
            <Show when={items().length > 0} fallback={<p class="hint">{t('reelCreate.noSounds')}</p>}>
              <ul class="reel-sound-list">
                <For each={items()}>
                  {(sound) => (
                    <li class="reel-sound">
                      <IconButton
                        icon={playing() === sound.id ? Pause : Play}
                        label={t(playing() === sound.id ? 'reelCreate.pausePreview' : 'reelCreate.playPreview', {
                          name: soundName(sound),
                        })}
                        disabled={soundUrl(sound) === undefined}
                        onClick={() => preview(sound)}
                      />
                      <span class="reel-sound-text">
                        <bdi class="reel-sound-title">{soundName(sound)}</bdi>
                        <span class="hint">
                          <bdi>{sound.creator.displayName}</bdi> · {clock(sound.durationMs)} ·{' '}
                          {t('reelCreate.soundUses', { count: sound.reels })}
                        </span>
                      </span>
                      <Button size="sm" variant="secondary" onClick={() => props.onChoose(sound)}>
                        {t('reelCreate.useSound')}
                      </Button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </Show>
    </Dialog>
  );
}
