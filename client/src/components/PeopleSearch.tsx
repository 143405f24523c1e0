// Search for people by name or username (people.search), with "load more"; the user is left out
// of the results. On Friends and on Explore.
import { createSignal, For, type JSX, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { actions, state } from '../state/store.ts';
import { LoadMore } from './LoadMore.tsx';
import { PersonRow } from './Person.tsx';
import { usePages } from './usePages.ts';

export function PeopleSearch(): JSX.Element {
  const [query, setQuery] = createSignal('');
  const [submitted, setSubmitted] = createSignal('');
  const results = usePages((cursor) => actions.call('people.search', { query: submitted(), cursor }));
  return (
    <section aria-labelledby="search-title">
      <h2 id="search-title">{t('friends.search')}</h2>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          if (query().trim() === '') return;
          setSubmitted(query().trim());
          void results.reload();
        }}
      >
        <label for="people-search" class="visually-hidden">
          {t('friends.searchLabel')}
        </label>
        <input
          id="people-search"
          type="search"
          maxlength={60}
          value={query()}
          placeholder={t('friends.searchLabel')}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <button type="submit">{t('friends.searchSubmit')}</button>
      </form>
      <Show when={submitted() !== ''}>
        <ul class="people" aria-label={t('friends.results')}>
          <For each={results.items().filter((person) => person.id !== state.user?.id)}>{(person) => <PersonRow person={person} />}</For>
        </ul>
        <LoadMore pages={results} count={results.items().length} empty={t('friends.noResults')} />
      </Show>
    </section>
  );
}
