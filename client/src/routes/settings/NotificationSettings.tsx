// /settings/notifications: how each type of notification reaches the user (in the app, email,
// push), each switch saved at once (optimistic), and web push for this browser.
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { PUSH_ONLY_TYPES } from '../../../../protocol/lists.ts';
import { CheckField } from '../../components/Field.tsx';
import { ErrorAlert } from '../../components/FormFooter.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { t } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages/en.ts';
import { currentSubscription, disablePush, enablePush, PushDeniedError, pushSupported } from '../../state/push.ts';
import { actions, errorText } from '../../state/store.ts';

type Preference = CallResponse<'notifications.getPreferences'>['items'][number];
type Channel = 'inApp' | 'email' | 'push';
const CHANNELS: Channel[] = ['inApp', 'email', 'push'];
/** Types the server delivers by push only (the app shows messages and rings calls itself). */
const PUSH_ONLY = new Set<string>(PUSH_ONLY_TYPES);

function PushOptIn(): JSX.Element {
  const supported = pushSupported();
  const [on, setOn] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  onMount(async () => {
    if (supported) setOn((await currentSubscription()) !== null);
  });
  const toggle = async () => {
    setBusy(true);
    try {
      if (on()) {
        await disablePush();
        setOn(false);
        actions.toast(t('push.off'));
      } else {
        await enablePush();
        setOn(true);
        actions.toast(t('push.on'));
      }
    } catch (error) {
      actions.toast(error instanceof PushDeniedError ? t('push.denied') : errorText(error), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="push-title">
      <h2 id="push-title">{t('push.title')}</h2>
      <Show when={supported} fallback={<p data-testid="push-unsupported">{t('push.unsupported')}</p>}>
        <p class="hint">{on() ? t('push.enabledHere') : t('push.help')}</p>
        <button type="button" class={on() ? 'secondary' : undefined} disabled={busy()} onClick={() => void toggle()}>
          {on() ? t('push.disable') : t('push.enable')}
        </button>
      </Show>
    </section>
  );
}

export default function NotificationSettings(): JSX.Element {
  const [preferences, setPreferences] = createSignal<Preference[]>([]);
  const [error, setError] = createSignal<string | undefined>();
  onMount(async () => {
    try {
      setPreferences((await actions.call('notifications.getPreferences', {})).items);
    } catch (failure) {
      setError(errorText(failure));
    }
  });
  const change = async (type: Preference['type'], channel: Channel, value: boolean) => {
    const before = preferences();
    setPreferences(before.map((item) => (item.type === type ? { ...item, [channel]: value } : item)));
    try {
      const saved = await actions.call('notifications.setPreference', { type, [channel]: value });
      setPreferences((items) => items.map((item) => (item.type === type ? saved : item)));
    } catch (failure) {
      setPreferences(before);
      actions.toast(errorText(failure), 'error');
    }
  };
  return (
    <section class="card" aria-labelledby="notification-settings-title">
      <SettingsNav />
      <h1 id="notification-settings-title">{t('settings.notifications')}</h1>
      <ErrorAlert text={error()} />
      <For each={preferences()}>
        {(preference) => (
          <fieldset class="channels">
            <legend>{t(`notificationType.${preference.type}` as MessageKey)}</legend>
            <For each={PUSH_ONLY.has(preference.type) ? (['push'] as Channel[]) : CHANNELS}>
              {(channel) => (
                <CheckField
                  label={t(`channel.${channel}`)}
                  checked={preference[channel]}
                  onChange={(checked) => void change(preference.type, channel, checked)}
                />
              )}
            </For>
          </fieldset>
        )}
      </For>
      <PushOptIn />
    </section>
  );
}
