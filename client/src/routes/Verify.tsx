// /verify-email: the link of the confirmation mail; once confirmed, a button continues into the
// app (the feed when signed in on this browser, the sign-in otherwise).
import { useSearchParams } from '@solidjs/router';
import { ArrowRight } from 'lucide-solid';
import { createResource, Match, Switch } from 'solid-js';
import { api } from '../api/http.ts';
import { Button } from '../components/ui/Button.tsx';
import { t } from '../i18n/index.ts';
import { state } from '../state/store.ts';

export default function Verify() {
  const [params] = useSearchParams();
  const [result] = createResource(
    () => params.token as string | undefined,
    (token) => api('POST', '/auth/email/verify', { token }).then(() => true),
  );
  return (
    <section class="card" aria-labelledby="verify-title">
      <h1 id="verify-title">{t('verify.title')}</h1>
      <Switch fallback={<p role="status">{t('verify.working')}</p>}>
        <Match when={result.error !== undefined || params.token === undefined}>
          <p role="alert" class="error">
            {t('verify.failed')}
          </p>
        </Match>
        <Match when={result() === true}>
          <p role="status" data-testid="verified">
            {t('verify.done')}
          </p>
          <Button href={state.user ? '/' : '/login'} icon={ArrowRight} data-testid="verify-continue">
            {t('verify.continue')}
          </Button>
        </Match>
      </Switch>
    </section>
  );
}
