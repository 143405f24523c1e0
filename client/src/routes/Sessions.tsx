import { createResource, For, Show } from 'solid-js';
import { api } from '../api/http.ts';
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
  const [sessions, { mutate }] = createResource(
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
    </section>
  );
}
