import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { ApiError, api } from '../api/http.ts';
import { Field } from '../components/Field.tsx';
import { ErrorAlert, FormFooter } from '../components/FormFooter.tsx';
import { useSubmit } from '../components/useSubmit.ts';
import { locale, t } from '../i18n/index.ts';
import { languageOf } from '../i18n/locales.ts';
import { actions, errorText, type TokenPair } from '../state/store.ts';

const PROVIDER_NAMES: Record<string, string> = { google: 'Google', facebook: 'Facebook', apple: 'Apple' };

export default function SignIn() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Where a provider sign-in that did not work ends: its reason, e.g. OAUTH_LINK_REQUIRED.
  const oauthError = () => (typeof params.oauthError === 'string' ? errorText(new ApiError(params.oauthError, '', 400)) : undefined);
  const [login, setLogin] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [code, setCode] = createSignal('');
  const [needsCode, setNeedsCode] = createSignal(false);
  const [providers] = createResource(() => api<{ providers: string[] }>('GET', '/auth/oauth/providers').then((body) => body.providers));
  const { busy, error, submit } = useSubmit(async () => {
    try {
      const pair = await api<TokenPair>('POST', '/auth/login', {
        login: login(),
        password: password(),
        ...(needsCode() ? { totp: code() } : {}),
      });
      actions.signedIn(pair);
      navigate('/', { replace: true });
    } catch (failure) {
      // Right password, two-factor on: ask for the code in a second step.
      if (failure instanceof ApiError && failure.code === 'TOTP_REQUIRED') {
        setNeedsCode(true);
        return;
      }
      throw failure;
    }
  });
  return (
    <section class="card" aria-labelledby="signin-title">
      <h1 id="signin-title">{needsCode() ? t('signIn.twoFactorTitle') : t('signIn.title')}</h1>
      <ErrorAlert text={oauthError()} />
      <form onSubmit={submit} novalidate>
        <Show
          when={needsCode()}
          fallback={
            <>
              <Field label={t('form.login')} name="login" value={login()} onInput={setLogin} autocomplete="username" />
              <Field
                label={t('form.password')}
                name="password"
                type="password"
                value={password()}
                onInput={setPassword}
                autocomplete="current-password"
              />
            </>
          }
        >
          <p>{t('signIn.twoFactorHelp')}</p>
          <Field label={t('form.code')} name="totp" value={code()} onInput={setCode} autocomplete="one-time-code" />
        </Show>
        <FormFooter busy={busy()} error={error()} label={t('signIn.submit')} />
      </form>
      <Show when={(providers() ?? []).length > 0}>
        <p class="divider">{t('signIn.orContinueWith')}</p>
        <div class="providers">
          <For each={providers()}>
            {(provider) => (
              // rel="external": a page load on the server (which redirects to the provider), not a route of the app.
              <a class="button secondary" rel="external" href={`/auth/oauth/${provider}/start?language=${languageOf(locale())}`}>
                {t('signIn.withProvider', { provider: PROVIDER_NAMES[provider] ?? provider })}
              </a>
            )}
          </For>
        </div>
      </Show>
      <p>
        <A href="/forgot-password">{t('signIn.forgot')}</A>
      </p>
      <p>
        <A href="/signup">{t('signIn.noAccount')}</A>
      </p>
    </section>
  );
}
