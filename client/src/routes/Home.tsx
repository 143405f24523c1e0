import { createEffect, createSignal, Show } from 'solid-js';
import { PresenceLookup } from '../components/PresenceLookup.tsx';
import { t } from '../i18n/index.ts';
import { actions, state } from '../state/store.ts';

export default function Home() {
  const [draft, setDraft] = createSignal(state.status);
  // The field follows the stored status (it arrives from the server after connecting).
  createEffect(() => setDraft(state.status));
  return (
    <section class="card" aria-labelledby="home-title">
      <h1 id="home-title">{t('home.welcome', { username: state.user?.username ?? '' })}</h1>
      <Show when={state.connection === 'open'}>
        <p data-testid="presence-self">
          <span class={`dot ${state.presence}`} aria-hidden="true" /> {t('presence.you', { status: t(`presence.${state.presence}`) })}
        </p>
      </Show>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void actions.saveStatus(draft());
        }}
      >
        <label for="status">{t('home.status')}</label>
        <input
          id="status"
          maxlength={140}
          value={draft()}
          placeholder={t('home.statusPlaceholder')}
          onInput={(event) => setDraft(event.currentTarget.value)}
        />
        <button type="submit">{t('home.statusSave')}</button>
      </form>
      <PresenceLookup />
      <p class="hint">{t('home.soon')}</p>
    </section>
  );
}
