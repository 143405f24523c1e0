// Forgot password (ask for a link) and reset password (choose a new one with the link's token).
import { A, useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { api } from '../api/http.ts';
import { Field, NewPasswordField } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { useSubmit } from '../components/useSubmit.ts';
import { t } from '../i18n/index.ts';

export function Forgot() {
  const [email, setEmail] = createSignal('');
  const [sent, setSent] = createSignal(false);
  const { busy, error, submit } = useSubmit(async () => {
    await api('POST', '/auth/password/forgot', { email: email() });
    setSent(true);
  });
  return (
    <section class="card" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t('forgot.title')}</h1>
      <Show when={!sent()} fallback={<p role="status">{t('forgot.sent', { email: email() })}</p>}>
        <p>{t('forgot.help')}</p>
        <form onSubmit={submit} novalidate>
          <Field label={t('form.email')} name="email" type="email" value={email()} onInput={setEmail} autocomplete="email" />
          <FormFooter busy={busy()} error={error()} label={t('form.submit')} />
        </form>
      </Show>
    </section>
  );
}

export function Reset() {
  const [params] = useSearchParams();
  const [password, setPassword] = createSignal('');
  const [done, setDone] = createSignal(false);
  const { busy, error, submit } = useSubmit(async () => {
    await api('POST', '/auth/password/reset', { token: params.token, password: password() });
    setDone(true);
  });
  return (
    <section class="card" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('reset.title')}</h1>
      <Show
        when={!done()}
        fallback={
          <p role="status">
            {t('reset.done')} <A href="/login">{t('nav.signIn')}</A>
          </p>
        }
      >
        <form onSubmit={submit} novalidate>
          <NewPasswordField label={t('form.newPassword')} value={password()} onInput={setPassword} />
          <FormFooter busy={busy()} error={error()} label={t('form.submit')} />
        </form>
      </Show>
    </section>
  );
}
