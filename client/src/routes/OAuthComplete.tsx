// Where the server's OAuth callback sends the browser: trade the one-time code for tokens.
import { useNavigate, useSearchParams } from '@solidjs/router';
import { onMount } from 'solid-js';
import { api } from '../api/http.ts';
import { t } from '../i18n/index.ts';
import { actions, errorText, type TokenPair } from '../state/store.ts';

export default function OAuthComplete() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  onMount(async () => {
    try {
      actions.signedIn(await api<TokenPair>('POST', '/auth/oauth/exchange', { code: params.code }));
      navigate('/', { replace: true });
    } catch (error) {
      actions.toast(errorText(error), 'error');
      navigate('/login', { replace: true });
    }
  });
  return <p role="status">{t('form.working')}</p>;
}
