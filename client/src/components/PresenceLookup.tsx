// Another user's presence, live: found by username, then followed on their presence topic for as
// long as the component is shown. (Friends lists replace the lookup in the social graph issue.)
import { createSignal, type JSX, onCleanup, Show } from 'solid-js';
import type { TopicHandle } from '../../../protocol/client.ts';
import { ApiError, api } from '../api/http.ts';
import { t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';
import { ErrorAlert } from './FormFooter.tsx';

type Presence = 'online' | 'away' | 'offline';

export function PresenceLookup(): JSX.Element {
  const [username, setUsername] = createSignal('');
  const [found, setFound] = createSignal<{ username: string; status: Presence; text: string } | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  let following: TopicHandle | undefined;
  onCleanup(() => void following?.unsubscribe());

  const show = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const { user } = await api<{ user: { id: string; username: string } }>(
        'GET',
        `/users/by-username/${encodeURIComponent(username())}`,
        undefined,
        await actions.token(),
      );
      const socket = actions.socket();
      if (socket === undefined) throw new ApiError('NETWORK', 'not connected', 0);
      await following?.unsubscribe();
      const read = async () => {
        const now = await socket.call('presence.get', { userId: user.id });
        setFound({ username: user.username, status: now.status, text: now.text });
      };
      following = socket.subscribe(
        `presence:${user.id}`,
        (update) => {
          const body = update.body as { status: Presence; text: string };
          setFound({ username: user.username, status: body.status, text: body.text });
        },
        { onReset: () => void read().catch((failure: unknown) => setError(errorText(failure))) },
      );
      await read();
    } catch (failure) {
      setFound(undefined);
      setError(failure instanceof ApiError && failure.code === 'NOT_FOUND' ? t('people.notFound') : errorText(failure));
    }
  };

  return (
    <section aria-labelledby="lookup-title" class="lookup">
      <h2 id="lookup-title">{t('people.lookup')}</h2>
      <form onSubmit={show}>
        <label for="lookup">{t('people.username')}</label>
        <input id="lookup" value={username()} onInput={(event) => setUsername(event.currentTarget.value)} autocomplete="off" />
        <button type="submit" class="secondary">
          {t('people.show')}
        </button>
      </form>
      <ErrorAlert text={error()} />
      <Show when={found()}>
        {(person) => (
          <p data-testid="friend-presence" data-status={person().status}>
            <span class={`dot ${person().status}`} aria-hidden="true" /> {person().username}: {t(`presence.${person().status}`)}
            <Show when={person().text !== ''}> · {person().text}</Show>
          </p>
        )}
      </Show>
    </section>
  );
}
