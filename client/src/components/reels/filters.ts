// The reel colour filters as the browser previews them: each protocol matrix (protocol/filters.ts,
// 3×4 over sRGB 0..1) written as the 4×5 `values` of an SVG feColorMatrix (the offset in the fifth
// column, alpha kept), in a filter whose colour-interpolation-filters is sRGB: the default,
// linearRGB, would not compute what ffmpeg bakes.
import { type ColourMatrix, REEL_FILTER_NAMES, REEL_FILTERS, type ReelFilter } from '../../../../protocol/filters.ts';

/** A choice of the strip: a protocol filter, or none. */
export type FilterChoice = ReelFilter | 'none';
export const FILTER_CHOICES: readonly FilterChoice[] = ['none', ...REEL_FILTER_NAMES];

/** The feColorMatrix `values` of a protocol matrix: its three rows, then alpha unchanged. */
export function svgMatrixValues(matrix: ColourMatrix): string {
  return [...matrix.map(([r, g, b, offset]) => `${r} ${g} ${b} 0 ${offset}`), '0 0 0 1 0'].join(' ');
}

/** The id of a filter's SVG definition (ReelFilterDefs.tsx), as CSS `filter: url(#…)` names it. */
export const filterId = (name: ReelFilter) => `reel-filter-${name}`;

/** The CSS `filter` that previews a choice. */
export const cssFilter = (choice: FilterChoice) => (choice === 'none' ? 'none' : `url(#${filterId(choice)})`);

export const matrixOf = (name: ReelFilter) => REEL_FILTERS[name];
