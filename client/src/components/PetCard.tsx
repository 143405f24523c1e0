// One pet as a card in a grid (a profile's Pets tab, Explore's pets to meet): its first photo or a
// paw, its name linking to its page, its species, what the list adds (`children`), and "lost".
import { A } from '@solidjs/router';
import { PawPrint } from 'lucide-solid';
import { type JSX, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { MediaView } from './media/MediaView.tsx';

export function PetCard(props: {
  pet: { id: string; name: string; species: string; photoMediaIds: readonly string[]; lost: boolean };
  testId?: string;
  /** Said after the species, on the same line (the owner). */
  with?: JSX.Element;
  children?: JSX.Element;
}): JSX.Element {
  return (
    <li class="pet-card" data-testid={props.testId}>
      <A href={`/pets/${props.pet.id}`}>
        <span class="pet-photo">
          <Show when={props.pet.photoMediaIds[0]} fallback={<PawPrint size={40} aria-hidden="true" />}>
            {(photo) => <MediaView id={photo()} layout="tile" alt="" />}
          </Show>
        </span>
        <bdi class="pet-name">{props.pet.name}</bdi>
      </A>
      <span class="hint">
        {t(`species.${props.pet.species}` as 'species.dog')}
        <Show when={props.with}>
          {' · '}
          {props.with}
        </Show>
      </span>
      {props.children}
      <Show when={props.pet.lost}>
        <span class="badge lost">{t('pets.lostBadge')}</span>
      </Show>
    </li>
  );
}
