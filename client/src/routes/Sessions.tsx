// The signed-in devices: sign out one, or every other device at once (which re-authenticates:
// the password and code, or a fresh provider sign-in for an account without a password).
import { createResource, createSignal, For, Show } from 'solid-js';
import { api } from '../api/http.ts';
import { FormFooter } from '../components/FormFooter.tsx';
import { createProviderReauth, ReauthFields, ReauthProviders, reauthBody } from '../components/Reauth.tsx';
import { useSubmit } from '../components/useSubmit.ts';
import { formatRelative, t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';

interface Session {
  id: string;
  userAgent: string | null;
  ip: string | null;
  lastSeenAt: string;
  current: boolean;
}

export default function Sessions() {
  const [sessions, { mutate, refetch }] = createResource(
    async () => (await api<{ sessions: Session[] }>('GET', '/auth/sessions', undefined, await actions.token())).sessions,
  );
  /** Optimistic: the device leaves the list at once, and comes back if the server refuses. */
  const revoke = async (session: Session) => {
    const before = sessions() ?? [];
    mutate(before.filter((item) => item.id !== session.id));
    try {
      await api('DELETE', `/auth/sessions/${session.id}`, undefined, await actions.token());
      actions.toast(t('sessions.revoked'));
    } catch (error) {
      mutate(before);
      actions.toast(errorText(error), 'error');
    }
  };
  const reauth = createProviderReauth();
  const [password, setPassword] = createSignal('');
  const [code, setCode] = createSignal('');
  const endAll = useSubmit(() =>
    reauth.guard(async () => {
      await api('DELETE', '/auth/sessions', reauthBody(password(), code()), await actions.token());
      setPassword('');
      setCode('');
      actions.toast(t('sessions.endAllDone'));
      await refetch();
    }),
  );
  return (
    <section class="card" aria-labelledby="sessions-title">
      <h1 id="sessions-title">{t('sessions.title')}</h1>
      <p>{t('sessions.help')}</p>
      <ul class="sessions">
        <For each={sessions()}>
          {(session) => (
            <li>
              <div>
                <strong>{session.userAgent ?? t('sessions.unknownDevice')}</strong>
                <Show when={session.current}>
                  <span class="badge">{t('sessions.current')}</span>
                </Show>
                <br />
                <small>
                  {session.ip} · {t('sessions.lastSeen', { when: formatRelative(session.lastSeenAt) })}
                </small>
              </div>
              <Show when={!session.current}>
                <button type="button" class="secondary" onClick={() => void revoke(session)}>
                  {t('sessions.revoke')}
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <h2>{t('sessions.endAll')}</h2>
      <ReauthProviders providers={reauth.providers()} />
      <form onSubmit={endAll.submit} novalidate>
        <ReauthFields form="end-all" password={password()} onPassword={setPassword} code={code()} onCode={setCode} />
        <FormFooter busy={endAll.busy()} error={endAll.error()} label={t('sessions.endAll')} />
      </form>
    </section>
  );
}
