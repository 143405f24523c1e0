// The user's status line ("At the dog park"), shown next to their presence to those allowed to
// see it; saved with presence.setStatus.
import { createEffect, createSignal, type JSX } from 'solid-js';
import { t } from '../i18n/index.ts';
import { actions, state } from '../state/store.ts';
import { Button } from './ui/Button.tsx';

export function StatusForm(): JSX.Element {
  const [draft, setDraft] = createSignal(state.status);
  // The field follows the stored status (it arrives from the server after connecting).
  createEffect(() => setDraft(state.status));
  return (
    <form
      class="status-form"
      onSubmit={(event) => {
        event.preventDefault();
        void actions.saveStatus(draft());
      }}
    >
      <label for="status">{t('home.status')}</label>
      <div class="inline">
        <input
          id="status"
          dir="auto"
          maxlength={140}
          value={draft()}
          placeholder={t('home.statusPlaceholder')}
          onInput={(event) => setDraft(event.currentTarget.value)}
        />
        <Button type="submit" variant="secondary">
          {t('home.statusSave')}
        </Button>
      </div>
    </form>
  );
}
