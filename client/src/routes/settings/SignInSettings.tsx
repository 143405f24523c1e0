// /settings/sign-in: change the password, and link sign-in providers. Both ask for the current
// password (and the authenticator code when two-step verification is on), as sign-in does; a
// provider whose email matches this account is only ever linked from here.
import { useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, type JSX, onMount, Show } from 'solid-js';
import { ApiError, api } from '../../api/http.ts';
import { Field, NewPasswordField } from '../../components/Field.tsx';
import { ErrorAlert, FormFooter } from '../../components/FormFooter.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { useSubmit } from '../../components/useSubmit.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText, state } from '../../state/store.ts';

const PROVIDER_NAMES: Record<string, string> = { google: 'Google', facebook: 'Facebook', apple: 'Apple' };
const providerName = (provider: string) => PROVIDER_NAMES[provider] ?? provider;

/** The current password (when the account has one) and the code (when two-step verification is on); `form` keeps field ids unique. */
function Proof(props: {
  form: string;
  password: string;
  onPassword: (value: string) => void;
  code: string;
  onCode: (value: string) => void;
}) {
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

export default function SignInSettings(): JSX.Element {
  const [params] = useSearchParams();
  onMount(() => {
    if (typeof params.linked === 'string') actions.toast(t('signInSettings.linked', { provider: providerName(params.linked) }));
    if (typeof params.oauthError === 'string') actions.toast(errorText(new ApiError(params.oauthError, '', 400)), 'error');
  });
  const [providers] = createResource(() => api<{ providers: string[] }>('GET', '/auth/oauth/providers').then((body) => body.providers));

  const [current, setCurrent] = createSignal('');
  const [code, setCode] = createSignal('');
  const [next, setNext] = createSignal('');
  const change = useSubmit(async () => {
    await api(
      'POST',
      '/auth/password/change',
      { password: current(), newPassword: next(), ...(code() === '' ? {} : { code: code() }) },
      await actions.token(),
    );
    setCurrent('');
    setCode('');
    setNext('');
    actions.toast(t('signInSettings.passwordChanged'));
  });

  const [linkPassword, setLinkPassword] = createSignal('');
  const [linkCode, setLinkCode] = createSignal('');
  const [provider, setProvider] = createSignal<string>();
  const link = useSubmit(async () => {
    const chosen = provider();
    if (chosen === undefined) return;
    const started = await api<{ url: string }>(
      'POST',
      `/auth/oauth/${chosen}/link`,
      { password: linkPassword(), ...(linkCode() === '' ? {} : { code: linkCode() }) },
      await actions.token(),
    );
    window.location.assign(started.url);
  });

  return (
    <section class="card" aria-labelledby="sign-in-settings-title">
      <SettingsNav />
      <h1 id="sign-in-settings-title">{t('settings.signIn')}</h1>
      <h2>{t('signInSettings.passwordTitle')}</h2>
      <form onSubmit={change.submit} novalidate>
        <Proof form="change" password={current()} onPassword={setCurrent} code={code()} onCode={setCode} />
        <NewPasswordField label={t('form.newPassword')} value={next()} onInput={setNext} />
        <FormFooter busy={change.busy()} error={change.error()} label={t('settings.save')} />
      </form>
      <Show when={(providers() ?? []).length > 0}>
        <h2>{t('signInSettings.providersTitle')}</h2>
        <p class="hint">{t('signInSettings.providersHelp')}</p>
        <form onSubmit={link.submit} novalidate>
          <Proof form="link" password={linkPassword()} onPassword={setLinkPassword} code={linkCode()} onCode={setLinkCode} />
          <div class="providers">
            <For each={providers()}>
              {(name) => (
                <button type="submit" class="secondary" disabled={link.busy()} onClick={() => setProvider(name)}>
                  {t('signInSettings.link', { provider: providerName(name) })}
                </button>
              )}
            </For>
          </div>
          <ErrorAlert text={link.error()} />
        </form>
      </Show>
    </section>
  );
}
