// /settings/sign-in: change the password, two-step verification (TwoFactorSettings.tsx), and link
// sign-in providers. Each re-authenticates (Reauth.tsx): the current password (and the
// authenticator code when two-step verification is on), as sign-in does, or for an account
// without a password a fresh sign-in at its provider, which comes back here. A provider whose email matches this account is only ever linked from here.
import { useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, type JSX, onMount, Show } from 'solid-js';
import { ApiError, api } from '../../api/http.ts';
import { NewPasswordField } from '../../components/Field.tsx';
import { ErrorAlert, FormFooter } from '../../components/FormFooter.tsx';
import { createProviderReauth, providerName, ReauthFields, ReauthProviders, reauthBody } from '../../components/Reauth.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { useSubmit } from '../../components/useSubmit.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import { TwoFactorSettings } from './TwoFactorSettings.tsx';

export default function SignInSettings(): JSX.Element {
  const [params] = useSearchParams();
  onMount(() => {
    if (typeof params.linked === 'string') actions.toast(t('signInSettings.linked', { provider: providerName(params.linked) }));
    if (typeof params.reauthenticated === 'string') actions.toast(t('signInSettings.reauthenticated'));
    if (typeof params.oauthError === 'string') actions.toast(errorText(new ApiError(params.oauthError, '', 400)), 'error');
  });
  const [providers] = createResource(() => api<{ providers: string[] }>('GET', '/auth/oauth/providers').then((body) => body.providers));

  const reauth = createProviderReauth();
  const [current, setCurrent] = createSignal('');
  const [code, setCode] = createSignal('');
  const [next, setNext] = createSignal('');
  const change = useSubmit(async () => {
    await reauth.guard(async () => {
      await api('POST', '/auth/password/change', { ...reauthBody(current(), code()), newPassword: next() }, await actions.token());
    });
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
    await reauth.guard(async () => {
      const started = await api<{ url: string }>(
        'POST',
        `/auth/oauth/${chosen}/link`,
        reauthBody(linkPassword(), linkCode()),
        await actions.token(),
      );
      window.location.assign(started.url);
    });
  });

  return (
    <section class="card" aria-labelledby="sign-in-settings-title">
      <SettingsNav />
      <h1 id="sign-in-settings-title">{t('settings.signIn')}</h1>
      <ReauthProviders providers={reauth.providers()} />
      <h2>{t('signInSettings.passwordTitle')}</h2>
      <form onSubmit={change.submit} novalidate>
        <ReauthFields form="change" password={current()} onPassword={setCurrent} code={code()} onCode={setCode} />
        <NewPasswordField label={t('form.newPassword')} value={next()} onInput={setNext} />
        <FormFooter busy={change.busy()} error={change.error()} label={t('settings.save')} />
      </form>
      <TwoFactorSettings />
      <Show when={(providers() ?? []).length > 0}>
        <h2>{t('signInSettings.providersTitle')}</h2>
        <p class="hint">{t('signInSettings.providersHelp')}</p>
        <form onSubmit={link.submit} novalidate>
          <ReauthFields form="link" password={linkPassword()} onPassword={setLinkPassword} code={linkCode()} onCode={setLinkCode} />
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
