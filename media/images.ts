// Images through sharp: decoded in full (a file that only looks like an image fails here), turned
// upright by its EXIF orientation, stripped of every metadata block (GPS above all: sharp writes
// none unless asked), and written as WebP with a JPEG fallback in three widths no larger than the
// source, with an optional text watermark and a tiny WebP preview for placeholders. An image
// whose header announces more than `maxPixels` is refused before a pixel is decoded (a 1 MB PNG
// can announce 16000×16000: 1 GB of memory once decoded).
import sharp, { type Sharp } from 'sharp';
import { TooManyPixelsError } from './errors.ts';

const IMAGE_SIZES = { small: 320, medium: 960, large: 1920 } as const;
type ImageSize = keyof typeof IMAGE_SIZES;

interface ImageRendition {
  size: ImageSize;
  format: 'webp' | 'jpeg';
  width: number;
  height: number;
  bytes: Uint8Array;
}

export interface ProcessedImage {
  width: number;
  height: number;
  /** A ~24 px wide WebP as a data URL, shown blurred while the real image loads. */
  preview: string;
  renditions: ImageRendition[];
}

/**
 * The image, once its header says it has at most `maxPixels` (TooManyPixelsError otherwise);
 * libvips is told the same limit, so no decoder goes past it whatever the header said.
 */
async function bounded(input: Uint8Array | string, maxPixels: number): Promise<Sharp> {
  // metadata() reads the header only; unlimited here, so the refusal below says what was found.
  const { width, height } = await sharp(input, { failOn: 'error', limitInputPixels: false }).metadata();
  if (width === undefined || height === undefined) throw new Error('the image has no dimensions');
  if (width * height > maxPixels) throw new TooManyPixelsError(width, height, maxPixels);
  return sharp(input, { failOn: 'error', limitInputPixels: maxPixels });
}

/** Width and height (upright) after a full decode; throws when the bytes are not a whole image. */
export async function probeImage(input: Uint8Array | string, maxPixels: number): Promise<{ width: number; height: number }> {
  // Decoding every pixel (not just reading the header) is what proves the file is an image.
  const { info } = await (await bounded(input, maxPixels)).rotate().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height };
}

function watermarkSvg(text: string, width: number): Buffer {
  const size = Math.max(12, Math.round(width / 28));
  const escaped = text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${size * 2}"><text x="${width - size / 2}" y="${size * 1.4}" font-family="sans-serif" font-size="${size}" text-anchor="end" fill="white" fill-opacity="0.7" stroke="black" stroke-opacity="0.3" stroke-width="1">${escaped}</text></svg>`,
  );
}

export async function processImage(
  input: Uint8Array | string,
  options: { maxPixels: number; watermark?: string },
): Promise<ProcessedImage> {
  const upright = (await bounded(input, options.maxPixels)).rotate();
  const { data, info } = await upright.clone().raw().toBuffer({ resolveWithObject: true });
  const base = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const renditions: ImageRendition[] = [];
  for (const [size, maxWidth] of Object.entries(IMAGE_SIZES) as [ImageSize, number][]) {
    const width = Math.min(maxWidth, info.width);
    const height = Math.round((info.height * width) / info.width);
    let resized = await base().resize({ width, height }).raw().toBuffer();
    if (options.watermark !== undefined && options.watermark !== '' && size !== 'small') {
      resized = await sharp(resized, { raw: { width, height, channels: info.channels } })
        .composite([{ input: watermarkSvg(options.watermark, width), gravity: 'southeast' }])
        .raw()
        .toBuffer();
    }
    const raw = { raw: { width, height, channels: info.channels } };
    const [webp, jpeg] = await Promise.all([
      sharp(resized, raw).webp({ quality: 80 }).toBuffer(),
      sharp(resized, raw).flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true }).toBuffer(),
    ]);
    renditions.push({ size, format: 'webp', width, height, bytes: new Uint8Array(webp) });
    renditions.push({ size, format: 'jpeg', width, height, bytes: new Uint8Array(jpeg) });
  }
  const tiny = await base().resize({ width: 24 }).webp({ quality: 40 }).toBuffer();
  return { width: info.width, height: info.height, preview: `data:image/webp;base64,${tiny.toString('base64')}`, renditions };
}
