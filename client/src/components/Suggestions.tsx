// People the user may know (friends.suggestions), each with an "add friend" button that takes
// the person off the list at once and puts them back if the request fails. Used by the desktop's
// right rail and by Explore.
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { t } from '../i18n/index.ts';
import { relate } from '../state/relations.ts';
import { actions, errorText } from '../state/store.ts';
import { ErrorAlert } from './FormFooter.tsx';
import { PersonRow } from './Person.tsx';
import { Button } from './ui/Button.tsx';

type Suggestion = CallResponse<'friends.suggestions'>['items'][number];

export function Suggestions(props: { limit: number; titleId: string }): JSX.Element {
  const [items, setItems] = createSignal<Suggestion[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  onMount(async () => {
    try {
      setItems((await actions.call('friends.suggestions', { limit: props.limit })).items);
    } catch (failure) {
      setError(errorText(failure));
    }
    setLoaded(true);
  });
  // Off the list at once; back in place if the request is refused (relate says why in a toast).
  const add = async (userId: string) => {
    const before = items();
    const none = { state: 'none', closeFriend: false, following: false, followedBy: false, blocked: false } as const;
    await relate('friends.request', userId, none, (relation) => {
      setItems(relation.state === 'none' ? before : before.filter((item) => item.person.id !== userId));
    });
  };
  return (
    <section class="rail-section" aria-labelledby={props.titleId} data-testid="suggestions">
      <h2 id={props.titleId}>{t('friends.suggestions')}</h2>
      <ErrorAlert text={error()} />
      <Show when={loaded() && items().length === 0 && error() === undefined}>
        <p class="hint">{t('friends.noSuggestions')}</p>
      </Show>
      <ul class="people compact">
        <For each={items()}>
          {(item) => (
            <PersonRow person={item.person}>
              <Button size="sm" variant="secondary" onClick={() => void add(item.person.id)}>
                {t('relation.add')}
              </Button>
            </PersonRow>
          )}
        </For>
      </ul>
    </section>
  );
}
