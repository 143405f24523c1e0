// Pets to meet (pets.suggestions), for Explore: a card per pet with its photo, name and species,
// its owner, and why it is suggested (friends in common, the same species, new here).
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';
import { ErrorAlert } from './FormFooter.tsx';
import { PetCard } from './PetCard.tsx';

type Suggestion = CallResponse<'pets.suggestions'>['items'][number];

function reason(item: Suggestion): string {
  if (item.reason === 'friends_of_friends') return t('explore.petReason.friends', { count: item.mutualFriends });
  return item.reason === 'same_species' ? t('explore.petReason.species') : t('explore.petReason.new');
}

export function PetSuggestions(props: { limit: number }): JSX.Element {
  const [items, setItems] = createSignal<Suggestion[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  onMount(async () => {
    try {
      setItems((await actions.call('pets.suggestions', { limit: props.limit })).items);
    } catch (failure) {
      setError(errorText(failure));
    }
    setLoaded(true);
  });
  return (
    <section aria-labelledby="pet-suggestions-title" data-testid="pet-suggestions">
      <h2 id="pet-suggestions-title">{t('explore.pets')}</h2>
      <ErrorAlert text={error()} />
      <Show when={loaded() && items().length === 0 && error() === undefined}>
        <p class="hint">{t('explore.petsEmpty')}</p>
      </Show>
      <Show when={items().length > 0}>
        <ul class="pet-cards">
          <For each={items()}>
            {(item) => (
              <PetCard pet={item.pet} testId={`pet-suggestion-${item.pet.id}`} with={<bdi>{item.owner.displayName}</bdi>}>
                <span class="hint">{reason(item)}</span>
              </PetCard>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
