// Re-authentication for sensitive changes (password, two-step verification, signing out every
// device, linking a provider): the current password when the account has one and the code when
// two-step verification is on, given with the change. An account without a password confirms at
// its provider first; the server names the providers when it answers REAUTH_REQUIRED.
import { createSignal, For, type JSX, Show } from 'solid-js';
import { ApiError, api } from '../api/http.ts';
import { t } from '../i18n/index.ts';
import { actions, errorText, state } from '../state/store.ts';
import { Field } from './Field.tsx';

const PROVIDER_NAMES: Record<string, string> = { google: 'Google', facebook: 'Facebook', apple: 'Apple' };
export const providerName = (provider: string) => PROVIDER_NAMES[provider] ?? provider;

/** The current password (when the account has one) and the code (when two-step verification is on); `form` keeps field ids unique. */
export function ReauthFields(props: {
  form: string;
  password: string;
  onPassword: (value: string) => void;
  code: string;
  onCode: (value: string) => void;
}): JSX.Element {
  return (
    <>
      <Show when={state.user?.hasPassword}>
        <Field
          label={t('signInSettings.currentPassword')}
          name={`${props.form}-current-password`}
          type="password"
          value={props.password}
          onInput={props.onPassword}
          autocomplete="current-password"
        />
      </Show>
      <Show when={state.user?.twoFactorEnabled}>
        <Field label={t('form.code')} name={`${props.form}-totp`} value={props.code} onInput={props.onCode} autocomplete="one-time-code" />
      </Show>
    </>
  );
}

/** The proof as the API takes it: only the fields given. */
export const reauthBody = (password: string, code: string) => ({
  ...(password === '' ? {} : { password }),
  ...(code === '' ? {} : { code }),
});

/**
 * The providers to confirm at, learnt from a REAUTH_REQUIRED answer: `guard(work)` runs a change
 * and, when the server asks for a provider sign-in, offers its buttons (ReauthProviders).
 */
export function createProviderReauth() {
  const [providers, setProviders] = createSignal<string[]>([]);
  const guard = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      const details = error instanceof ApiError ? (error.details as { method?: unknown; providers?: unknown }) : {};
      if (
        error instanceof ApiError &&
        error.code === 'REAUTH_REQUIRED' &&
        details.method === 'provider' &&
        Array.isArray(details.providers)
      )
        setProviders(details.providers.filter((name): name is string => typeof name === 'string'));
      throw error;
    }
  };
  return { providers, guard };
}

/** Buttons that send the browser to confirm at a provider; it comes back to the sign-in settings. */
export function ReauthProviders(props: { providers: string[] }): JSX.Element {
  const confirm = async (provider: string) => {
    try {
      const started = await api<{ url: string }>('POST', `/auth/oauth/${provider}/reauth`, {}, await actions.token());
      window.location.assign(started.url);
    } catch (error) {
      actions.toast(errorText(error), 'error');
    }
  };
  return (
    <Show when={props.providers.length > 0}>
      <p class="hint">{t('signInSettings.reauthHelp')}</p>
      <div class="providers">
        <For each={props.providers}>
          {(name) => (
            <button type="button" class="secondary" onClick={() => void confirm(name)}>
              {t('signInSettings.reauthWith', { provider: providerName(name) })}
            </button>
          )}
        </For>
      </div>
    </Show>
  );
}
