// A sound's page at /sounds/:id: its name (its title, or "original sound" of its creator), who
// made it, how many reels use it, a button that plays it (the `sound.m4a` of its media, signed by
// media.get as any media file), the reels made with it (a grid that opens the player there, source
// `sound`) and "Use this sound", which leads to making a reel with it.
import { A, useParams } from '@solidjs/router';
import { Music, Pause, Play } from 'lucide-solid';
import { createEffect, createSignal, type JSX, on, onCleanup, Show } from 'solid-js';
import { ProtocolError } from '../../../protocol/client.ts';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { Avatar } from '../components/Person.tsx';
import { ReelGrid } from '../components/reels/ReelGrid.tsx';
import { Button } from '../components/ui/Button.tsx';
import { EmptyState } from '../components/ui/EmptyState.tsx';
import { usePages } from '../components/usePages.ts';
import { t } from '../i18n/index.ts';
import { mediaItem } from '../state/media.ts';
import { type Sound, soundCreatorName } from '../state/reels.ts';
import { actions, errorText } from '../state/store.ts';

type View = { kind: 'loading' } | { kind: 'found'; sound: Sound } | { kind: 'missing' } | { kind: 'failed'; text: string };

function SoundPlayer(props: { sound: Sound }): JSX.Element {
  const [playing, setPlaying] = createSignal(false);
  let audio: HTMLAudioElement | undefined;
  const url = () => {
    const item = mediaItem(props.sound.mediaId);
    return item?.status === 'ready' ? item.urls?.[props.sound.audioFile] : undefined;
  };
  const toggle = () => {
    if (audio === undefined) return;
    if (audio.paused) audio.play().catch((error: unknown) => actions.toast(errorText(error), 'error'));
    else audio.pause();
  };
  onCleanup(() => audio?.pause());
  return (
    <>
      <button
        type="button"
        class="sound-play"
        aria-label={playing() ? t('reels.pauseSound') : t('reels.playSound')}
        aria-pressed={playing()}
        disabled={url() === undefined}
        onClick={toggle}
        data-testid="sound-play"
      >
        <Show when={playing()} fallback={<Play size={28} fill="currentColor" aria-hidden="true" />}>
          <Pause size={28} fill="currentColor" aria-hidden="true" />
        </Show>
      </button>
      {/* biome-ignore lint/a11y/useMediaCaption: a sound is music or a reel's audio; nothing makes captions for it */}
      <audio
        ref={audio}
        src={url()}
        preload="none"
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => setPlaying(false)}
      />
    </>
  );
}

function SoundReelsGrid(props: { sound: Sound }): JSX.Element {
  const pages = usePages(
    (cursor) => actions.call('sounds.reels', cursor === undefined ? { soundId: props.sound.id } : { soundId: props.sound.id, cursor }),
    (reel) => reel.post.id,
  );
  void pages.reload();
  return (
    <ReelGrid
      pages={pages}
      href={(reel) => `/sounds/${props.sound.id}/reels?start=${reel.post.id}`}
      empty={t('reels.empty')}
      testId="sound-reels"
    />
  );
}

export default function SoundPage(): JSX.Element {
  const params = useParams();
  const [view, setView] = createSignal<View>({ kind: 'loading' });
  createEffect(
    on(
      () => params.id,
      async (id = '') => {
        setView({ kind: 'loading' });
        try {
          const sound = await actions.call('sounds.get', { soundId: id });
          if ((params.id ?? '') === id) setView({ kind: 'found', sound });
        } catch (error) {
          if ((params.id ?? '') !== id) return;
          setView(
            error instanceof ProtocolError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_BODY')
              ? { kind: 'missing' }
              : { kind: 'failed', text: errorText(error) },
          );
        }
      },
    ),
  );
  const sound = () => {
    const current = view();
    return current.kind === 'found' ? current.sound : undefined;
  };
  return (
    <Show
      when={sound()}
      keyed
      fallback={
        <section class="card" aria-live="polite">
          <Show when={view().kind === 'missing'}>
            <EmptyState title={t('reels.soundMissing')} testId="sound-missing" />
          </Show>
          <Show when={view().kind === 'loading'}>
            <p>{t('form.working')}</p>
          </Show>
          <ErrorAlert
            text={(() => {
              const current = view();
              return current.kind === 'failed' ? current.text : undefined;
            })()}
          />
        </section>
      }
    >
      {(found) => {
        const creator = soundCreatorName(found);
        return (
          <div class="stack sound-page" data-testid="sound-page">
            <header class="card sound-head">
              <div class="sound-art" aria-hidden="true">
                <Music size={40} />
              </div>
              <div class="sound-about">
                <h1 dir="auto">
                  <Show when={found.title} fallback={t('reels.originalSound', { name: creator })}>
                    {(title) => <bdi>{title()}</bdi>}
                  </Show>
                </h1>
                <A href={`/u/${encodeURIComponent(found.creator.username)}`} class="sound-creator">
                  <Avatar name={creator} mediaId={found.creator.avatarMediaId} />
                  <bdi>{creator}</bdi>
                </A>
                <p class="hint" data-testid="sound-count">
                  {t('reels.soundReels', { count: found.reels })}
                </p>
              </div>
              <SoundPlayer sound={found} />
            </header>
            <Button href={`/create/reel?sound=${found.id}`} icon={Music} class="sound-use" data-testid="sound-use">
              {t('reels.useSound')}
            </Button>
            <SoundReelsGrid sound={found} />
          </div>
        );
      }}
    </Show>
  );
}
