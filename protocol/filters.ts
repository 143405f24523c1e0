// The colour filters of reels: each one a 3×4 colour matrix over sRGB values from 0 to 1 (a row
// per output channel: red, green and blue weights of the input, then an offset), clamped once at
// the end. The web client previews a filter live on the camera with these numbers (an SVG
// feColorMatrix with color-interpolation-filters="sRGB", the same arithmetic); the server bakes the
// chosen one into the reel with ffmpeg's colorchannelmixer over RGBA, whose alpha weights carry the
// offsets (alpha is 1 on an opaque frame). Face-tracking effects are out of scope.

type Row = readonly [number, number, number, number];
export type ColourMatrix = readonly [Row, Row, Row];

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** The saturation matrix of the SVG and CSS specifications (1: unchanged, 0: grey), with an offset. */
function saturate(amount: number, offset = 0): ColourMatrix {
  const [r, g, b] = [0.213, 0.715, 0.072];
  return [
    [round(r + (1 - r) * amount), round(g - g * amount), round(b - b * amount), offset],
    [round(r - r * amount), round(g + (1 - g) * amount), round(b - b * amount), offset],
    [round(r - r * amount), round(g - g * amount), round(b + (1 - b) * amount), offset],
  ];
}

/** Luma (BT.601 weights) on every channel, stretched by `contrast` around `pivot`. */
function mono(contrast = 1, pivot = 0.5): ColourMatrix {
  const row: Row = [round(0.299 * contrast), round(0.587 * contrast), round(0.114 * contrast), round(pivot * (1 - contrast))];
  return [row, row, row];
}

const scale = (r: number, g: number, b: number, offset = 0): ColourMatrix => [
  [r, 0, 0, offset],
  [0, g, 0, offset],
  [0, 0, b, offset],
];

export const REEL_FILTERS = {
  mono: mono(),
  noir: mono(1.35),
  sepia: [
    [0.393, 0.769, 0.189, 0],
    [0.349, 0.686, 0.168, 0],
    [0.272, 0.534, 0.131, 0],
  ],
  vivid: saturate(1.45),
  muted: saturate(0.6, 0.03),
  warm: scale(1.1, 1.02, 0.85),
  cool: scale(0.88, 1, 1.12),
  fade: scale(0.8, 0.8, 0.8, 0.12),
  rose: [
    [1.06, 0.06, 0, 0.02],
    [0, 0.94, 0, 0.02],
    [0.04, 0, 0.98, 0.02],
  ],
} as const satisfies Record<string, ColourMatrix>;

export type ReelFilter = keyof typeof REEL_FILTERS;
export const REEL_FILTER_NAMES = Object.keys(REEL_FILTERS) as [ReelFilter, ...ReelFilter[]];

/** One pixel through a filter: sRGB values from 0 to 255 in and out, as both the preview and ffmpeg compute it. */
export function applyFilter(matrix: ColourMatrix, [r, g, b]: readonly [number, number, number]): [number, number, number] {
  const channel = (row: Row) => Math.min(255, Math.max(0, row[0] * r + row[1] * g + row[2] * b + row[3] * 255));
  return [channel(matrix[0]), channel(matrix[1]), channel(matrix[2])];
}
