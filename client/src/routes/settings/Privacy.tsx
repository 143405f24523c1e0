// /settings/privacy: every privacy setting, each saved as soon as it is chosen (optimistic: it
// goes back with a toast if the server refuses).
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { SelectField } from '../../components/Field.tsx';
import { ErrorAlert } from '../../components/FormFooter.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { t } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages/en.ts';
import { actions, errorText } from '../../state/store.ts';

type Privacy = CallResponse<'privacy.get'>;
type Setting = keyof Privacy;

const AUDIENCES = ['public', 'friends', 'close_friends', 'only_me'] as const;
const OPTIONS: Record<Setting, readonly string[]> = {
  profileDetails: AUDIENCES,
  pets: AUDIENCES,
  friendsList: AUDIENCES,
  location: AUDIENCES,
  presence: ['friends', 'close_friends', 'only_me'],
  friendRequests: ['everyone', 'friends_of_friends', 'nobody'],
  messages: ['everyone', 'friends', 'nobody'],
};

export default function PrivacySettings(): JSX.Element {
  const [privacy, setPrivacy] = createSignal<Privacy | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  onMount(async () => {
    try {
      setPrivacy(await actions.call('privacy.get', {}));
    } catch (failure) {
      setError(errorText(failure));
    }
  });
  const change = async (setting: Setting, value: string) => {
    const before = privacy();
    if (before === undefined) return;
    setPrivacy({ ...before, [setting]: value });
    try {
      setPrivacy(await actions.call('privacy.update', { [setting]: value }));
      actions.toast(t('settings.saved'));
    } catch (failure) {
      setPrivacy(before);
      actions.toast(errorText(failure), 'error');
    }
  };
  return (
    <section class="card" aria-labelledby="privacy-title">
      <SettingsNav />
      <h1 id="privacy-title">{t('settings.privacy')}</h1>
      <p class="hint">{t('privacy.help')}</p>
      <ErrorAlert text={error()} />
      <Show when={privacy()}>
        {(current) => (
          <form class="settings" onSubmit={(event) => event.preventDefault()}>
            <For each={Object.keys(OPTIONS) as Setting[]}>
              {(setting) => (
                <SelectField
                  id={`privacy-${setting}`}
                  label={t(`privacy.${setting}` as MessageKey)}
                  value={current()[setting]}
                  onChange={(value) => void change(setting, value)}
                >
                  <For each={OPTIONS[setting]}>{(value) => <option value={value}>{t(`audience.${value}` as MessageKey)}</option>}</For>
                </SelectField>
              )}
            </For>
          </form>
        )}
      </Show>
    </section>
  );
}
