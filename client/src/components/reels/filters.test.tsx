// The live preview of a reel filter uses the protocol's numbers exactly: each feColorMatrix's
// `values` are the matrix's three rows with their offsets and alpha unchanged, in sRGB (the
// arithmetic ffmpeg bakes), and a pixel through those values comes out as applyFilter computes.
import { render } from '@solidjs/testing-library';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { applyFilter, REEL_FILTER_NAMES, REEL_FILTERS } from '../../../../protocol/filters.ts';
import { cssFilter, FILTER_CHOICES, filterId, svgMatrixValues } from './filters.ts';
import { ReelFilterDefs } from './ReelFilterDefs.tsx';

const numbers = (values: string) => values.trim().split(/\s+/).map(Number);

test.each(REEL_FILTER_NAMES)('reel filters: the SVG matrix of %s is the protocol matrix, rows with their offsets, alpha kept', (name) => {
  const values = numbers(svgMatrixValues(REEL_FILTERS[name]));
  expect(values).toHaveLength(20);
  const rows = [0, 1, 2, 3].map((row) => values.slice(row * 5, row * 5 + 5));
  for (const [index, row] of REEL_FILTERS[name].entries()) expect(rows[index]).toEqual([row[0], row[1], row[2], 0, row[3]]);
  expect(rows[3]).toEqual([0, 0, 0, 1, 0]);
});

test('reel filters: a pixel through the SVG matrix (0..1, clamped) comes out as applyFilter computes it', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...REEL_FILTER_NAMES),
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })),
      (name, pixel) => {
        const values = numbers(svgMatrixValues(REEL_FILTERS[name]));
        const [r, g, b] = pixel.map((channel) => channel / 255) as [number, number, number];
        const svg = [0, 1, 2].map((row) => {
          const [wr, wg, wb, wa, offset] = values.slice(row * 5, row * 5 + 5) as [number, number, number, number, number];
          return Math.min(1, Math.max(0, wr * r + wg * g + wb * b + wa * 1 + offset)) * 255;
        });
        const expected = applyFilter(REEL_FILTERS[name], pixel);
        for (const [index, channel] of svg.entries()) expect(channel).toBeCloseTo(expected[index] as number, 6);
      },
    ),
  );
});

test('reel filters: the page defines each filter once, in sRGB, with its matrix; "none" previews unfiltered', () => {
  const { container } = render(() => <ReelFilterDefs />);
  for (const name of REEL_FILTER_NAMES) {
    const filter = container.querySelector(`#${filterId(name)}`) as SVGFilterElement;
    expect(filter.getAttribute('color-interpolation-filters')).toBe('sRGB');
    const matrix = filter.querySelector('feColorMatrix') as Element;
    expect(matrix.getAttribute('type')).toBe('matrix');
    expect(matrix.getAttribute('values')).toBe(svgMatrixValues(REEL_FILTERS[name]));
    expect(cssFilter(name)).toBe(`url(#${filterId(name)})`);
  }
  expect(FILTER_CHOICES).toEqual(['none', ...REEL_FILTER_NAMES]);
  expect(cssFilter('none')).toBe('none');
});
