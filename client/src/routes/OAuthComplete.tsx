// Where the server's OAuth callback sends the browser: trade the one-time code for tokens (the
// browser's binding cookie goes with the same-origin request). An account with two-step
// verification on asks for the code first, as password sign-in does.
import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { ApiError, api } from '../api/http.ts';
import { Field } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { useSubmit } from '../components/useSubmit.ts';
import { t } from '../i18n/index.ts';
import { actions, errorText, type TokenPair } from '../state/store.ts';

const NEW_ACCOUNT_MS = 10 * 60_000;

export default function OAuthComplete() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [needsCode, setNeedsCode] = createSignal(false);
  const [code, setCode] = createSignal('');
  const exchange = async (totp?: string) => {
    const pair = await api<TokenPair>('POST', '/auth/oauth/exchange', { code: params.code, ...(totp === undefined ? {} : { totp }) });
    actions.signedIn(pair);
    // An account the provider sign-in just made continues into the welcome steps.
    navigate(Date.now() - Date.parse(pair.user.createdAt ?? '') < NEW_ACCOUNT_MS ? '/welcome' : '/', { replace: true });
  };
  onMount(async () => {
    try {
      await exchange();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'TOTP_REQUIRED') {
        setNeedsCode(true);
        return;
      }
      actions.toast(errorText(error), 'error');
      navigate('/login', { replace: true });
    }
  });
  const { busy, error, submit } = useSubmit(() => exchange(code()));
  return (
    <Show when={needsCode()} fallback={<p role="status">{t('form.working')}</p>}>
      <section class="card" aria-labelledby="oauth-code-title">
        <h1 id="oauth-code-title">{t('signIn.twoFactorTitle')}</h1>
        <form onSubmit={submit} novalidate>
          <p>{t('signIn.twoFactorHelp')}</p>
          <Field label={t('form.code')} name="totp" value={code()} onInput={setCode} autocomplete="one-time-code" />
          <FormFooter busy={busy()} error={error()} label={t('signIn.submit')} />
        </form>
      </section>
    </Show>
  );
}
