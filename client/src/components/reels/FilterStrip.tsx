// The strip of colour filters under the camera and the review: "none" and the nine protocol
// filters, each a small picture of what is being filmed (a frame, refreshed while the camera
// runs) seen through it. A radio group: arrows move the choice, as the platform's radios do.
import { For, type JSX, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { cssFilter, FILTER_CHOICES, type FilterChoice } from './filters.ts';

export function FilterStrip(props: { value: FilterChoice; onChange: (choice: FilterChoice) => void; frame?: string }): JSX.Element {
  return (
    <div class="reel-filters" role="radiogroup" aria-label={t('reelCreate.filters')} data-testid="reel-filters">
      <For each={FILTER_CHOICES}>
        {(choice) => (
          <label class="reel-filter" classList={{ chosen: props.value === choice }} data-filter={choice}>
            <input
              type="radio"
              class="visually-hidden"
              name="reel-filter"
              value={choice}
              checked={props.value === choice}
              onChange={() => props.onChange(choice)}
            />
            <span class="reel-filter-swatch" style={{ filter: cssFilter(choice) }} aria-hidden="true">
              <Show when={props.frame}>{(frame) => <img src={frame()} alt="" />}</Show>
            </span>
            <span class="reel-filter-name">{t(`reelCreate.filter.${choice}`)}</span>
          </label>
        )}
      </For>
    </div>
  );
}
