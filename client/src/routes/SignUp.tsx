// /signup: an account from an email, a username and a password; the new user is signed in and
// continues into the welcome steps (the confirmation mail waits in their inbox).
import { A, useNavigate } from '@solidjs/router';
import { createSignal } from 'solid-js';
import { api } from '../api/http.ts';
import { Field, NewPasswordField } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { useSubmit } from '../components/useSubmit.ts';
import { locale, t } from '../i18n/index.ts';
import { languageOf } from '../i18n/locales.ts';
import { actions, type TokenPair } from '../state/store.ts';

export default function SignUp() {
  const [email, setEmail] = createSignal('');
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const navigate = useNavigate();
  const { busy, error, submit } = useSubmit(async () => {
    const pair = await api<TokenPair>('POST', '/auth/register', {
      email: email(),
      username: username(),
      password: password(),
      language: languageOf(locale()),
    });
    actions.signedIn(pair);
    navigate('/welcome', { replace: true });
  });
  return (
    <section class="card" aria-labelledby="signup-title">
      <h1 id="signup-title">{t('signUp.title')}</h1>
      <form onSubmit={submit} novalidate>
        <Field label={t('form.email')} name="email" type="email" value={email()} onInput={setEmail} autocomplete="email" />
        <Field label={t('form.username')} name="username" value={username()} onInput={setUsername} autocomplete="username" />
        <NewPasswordField label={t('form.password')} value={password()} onInput={setPassword} />
        <FormFooter busy={busy()} error={error()} label={t('signUp.submit')} />
        <p>
          <A href="/login">{t('signUp.haveAccount')}</A>
        </p>
      </form>
    </section>
  );
}
