// The SVG definitions of the nine reel filters, once on the page; previews point at them with CSS
// `filter: url(#reel-filter-<name>)` (filters.ts).
import { For, type JSX } from 'solid-js';
import { REEL_FILTER_NAMES } from '../../../../protocol/filters.ts';
import { filterId, matrixOf, svgMatrixValues } from './filters.ts';

export function ReelFilterDefs(): JSX.Element {
  return (
    <svg class="reel-filter-defs" aria-hidden="true" width="0" height="0">
      <defs>
        <For each={REEL_FILTER_NAMES}>
          {(name) => (
            <filter id={filterId(name)} color-interpolation-filters="sRGB" x="0" y="0" width="100%" height="100%">
              <feColorMatrix type="matrix" values={svgMatrixValues(matrixOf(name))} />
            </filter>
          )}
        </For>
      </defs>
    </svg>
  );
}
