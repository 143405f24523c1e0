// /pets/:id: a pet's page with its photos, as its owner's privacy lets the viewer see it (health
// notes only for their audience). It follows the owner's `profile:<id>` topic, so an edit or a
// lost alert shows at once; the owner can edit or remove the pet here.
import { A, useNavigate, useParams } from '@solidjs/router';
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { ProtocolError } from '../../../protocol/client.ts';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { MediaView } from '../components/media/MediaView.tsx';
import { formatRelative, locale, t } from '../i18n/index.ts';
import { actions, errorText, state } from '../state/store.ts';

type PetPage = CallResponse<'pets.get'>;

export default function Pet(): JSX.Element {
  const params = useParams();
  const navigate = useNavigate();
  const [page, setPage] = createSignal<PetPage | undefined>();
  const [missing, setMissing] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const [confirmDelete, setConfirmDelete] = createSignal(false);

  const load = async (petId: string) => {
    try {
      const found = await actions.call('pets.get', { petId });
      if (params.id !== petId) return;
      setPage(found);
      setMissing(false);
    } catch (failure) {
      if (failure instanceof ProtocolError && (failure.code === 'NOT_FOUND' || failure.code === 'INVALID_BODY')) {
        setPage(undefined);
        setMissing(true);
      } else setError(errorText(failure));
    }
  };
  createEffect(
    on(
      () => params.id ?? '',
      (id) => void load(id),
    ),
  );

  createEffect(
    on(
      () => page()?.owner.id,
      (ownerId) => {
        const socket = actions.socket();
        if (ownerId === undefined || socket === undefined) return;
        const handle = socket.subscribe(
          `profile:${ownerId}`,
          (event) => {
            if (event.name === 'pet.changed') void load(params.id ?? '');
          },
          { onReset: () => void load(params.id ?? ''), onState: (topicState) => topicState === 'errored' && void load(params.id ?? '') },
        );
        onCleanup(() => void handle.unsubscribe());
      },
    ),
  );

  const remove = async () => {
    try {
      await actions.call('pets.delete', { petId: params.id ?? '' });
      actions.toast(t('pets.removed'));
      navigate(`/u/${encodeURIComponent(state.user?.username ?? '')}`);
    } catch (failure) {
      actions.toast(errorText(failure), 'error');
    }
  };

  return (
    <Show
      when={page()}
      fallback={
        <section class="card">
          <Show when={missing()}>
            <h1 data-testid="pet-not-found">{t('pets.notFound')}</h1>
          </Show>
          <ErrorAlert text={error()} />
        </section>
      }
    >
      {(current) => {
        const pet = () => current().pet;
        const mine = () => pet().ownerId === state.user?.id;
        return (
          <article class="card" aria-labelledby="pet-name" data-testid="pet">
            <h1 id="pet-name">
              {pet().name}
              <Show when={pet().lost}>
                <span class="badge lost">{t('pets.lostBadge')}</span>
              </Show>
            </h1>
            <p class="hint">
              {t(`species.${pet().species}`)}
              <Show when={pet().breed !== ''}> · {pet().breed}</Show> ·{' '}
              <A href={`/u/${encodeURIComponent(current().owner.username)}`}>
                {t('pets.owner', { name: current().owner.displayName || current().owner.username })}
              </A>
            </p>
            <Show when={pet().photoMediaIds.length > 0}>
              <ul class={pet().photoMediaIds.length === 1 ? 'media single' : 'media'} aria-label={t('pets.photos')}>
                <For each={pet().photoMediaIds}>
                  {(id) => (
                    <li>
                      <MediaView id={id} layout={pet().photoMediaIds.length === 1 ? 'feed' : 'tile'} alt={pet().name} />
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <Show when={pet().lost}>
              {(lost) => (
                <div class="lost-note" role="alert">
                  <strong>{t('pets.lostSince', { when: formatRelative(lost().since) })}</strong>
                  <Show when={lost().note !== ''}>
                    <p>{lost().note}</p>
                  </Show>
                </div>
              )}
            </Show>
            <dl class="facts">
              <dt>{t('pets.sex')}</dt>
              <dd>{t(`sex.${pet().sex}`)}</dd>
              <Show when={pet().birthDate}>
                {(date) => (
                  <>
                    <dt>{t('pets.birthDate')}</dt>
                    <dd>{new Date(`${date()}T00:00:00`).toLocaleDateString(locale())}</dd>
                  </>
                )}
              </Show>
              <Show when={pet().size}>
                {(size) => (
                  <>
                    <dt>{t('pets.size')}</dt>
                    <dd>{t(`size.${size()}`)}</dd>
                  </>
                )}
              </Show>
              <dt>{t('pets.playdates')}</dt>
              <dd>{pet().openToPlaydates ? t('pets.yes') : t('pets.no')}</dd>
            </dl>
            <Show when={pet().traits.length > 0}>
              <ul class="chips" aria-label={t('pets.traits')}>
                <For each={pet().traits}>{(trait) => <li>{trait}</li>}</For>
              </ul>
            </Show>
            <Show when={pet().temperament !== ''}>
              <h2>{t('pets.temperament')}</h2>
              <p>{pet().temperament}</p>
            </Show>
            <Show when={pet().health}>
              {(health) => (
                <section aria-labelledby="health-title" data-testid="pet-health">
                  <h2 id="health-title">{t('pets.health')}</h2>
                  <p class="hint">{t('pets.healthAudience', { audience: t(`audience.${health().audience}`) })}</p>
                  <Show when={health().notes !== ''}>
                    <p>{health().notes}</p>
                  </Show>
                  <Show when={health().vaccinations !== ''}>
                    <h3>{t('pets.vaccinations')}</h3>
                    <p>{health().vaccinations}</p>
                  </Show>
                </section>
              )}
            </Show>
            <Show when={mine()}>
              <p class="row">
                <A class="button secondary" href={`/pets/${pet().id}/edit`}>
                  {t('pets.edit')}
                </A>
                <Show
                  when={confirmDelete()}
                  fallback={
                    <button type="button" class="secondary danger" onClick={() => setConfirmDelete(true)}>
                      {t('pets.remove')}
                    </button>
                  }
                >
                  <span role="alert">{t('pets.removeConfirm', { name: pet().name })}</span>
                  <button type="button" class="danger" onClick={() => void remove()}>
                    {t('pets.removeYes')}
                  </button>
                  <button type="button" class="secondary" onClick={() => setConfirmDelete(false)}>
                    {t('form.cancel')}
                  </button>
                </Show>
              </p>
            </Show>
          </article>
        );
      }}
    </Show>
  );
}
