// "Post as": the user, or one of their pets (`pets.list`, read once when it shows). Nothing shows
// for someone without pets. The value is the pet's id, or '' for the user.
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { actions, errorText, state } from '../state/store.ts';
import { SelectField } from './Field.tsx';

export function PostAsField(props: { id: string; value: string; onChange: (petId: string) => void; invalid?: boolean }): JSX.Element {
  const [pets, setPets] = createSignal<{ id: string; name: string }[]>([]);
  onMount(async () => {
    const me = state.user?.id;
    if (me === undefined) return;
    try {
      setPets((await actions.call('pets.list', { ownerId: me })).items.map((pet) => ({ id: pet.id, name: pet.name })));
    } catch (error) {
      actions.toast(errorText(error), 'error');
    }
  });
  return (
    <Show when={pets().length > 0}>
      <SelectField id={props.id} label={t('composer.postAs')} value={props.value} onChange={props.onChange} invalid={props.invalid}>
        <option value="">{t('composer.asMe')}</option>
        <For each={pets()}>{(pet) => <option value={pet.id}>{pet.name}</option>}</For>
      </SelectField>
    </Show>
  );
}
