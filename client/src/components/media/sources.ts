// Which files of a ready media a screen asks for. Images come in three widths (320, 960 and 1920 px
// at most, never wider than the original) as WebP with a JPEG fallback; the browser picks the width
// from `sizes`, which says how wide the image is drawn in each layout.
import { type MediaItem, mediaItem } from '../../state/media.ts';

export type Layout = 'thumb' | 'tile' | 'feed' | 'full' | 'avatar' | 'avatar-large' | 'cover';

/** Layouts that draw the image in its own proportions (the others crop it to their shape). */
export const OWN_SHAPE: ReadonlySet<Layout> = new Set(['thumb', 'feed', 'full']);

const WIDTHS = { small: 320, medium: 960, large: 1920 } as const;

export const SIZES: Record<Layout, string> = {
  thumb: '240px',
  tile: '(max-width: 40rem) 50vw, 19rem',
  feed: '(max-width: 40rem) 100vw, 38rem',
  full: '100vw',
  avatar: '40px',
  'avatar-large': '72px',
  cover: '(max-width: 40rem) 100vw, 40rem',
};

/** The srcset of one format (`webp` or `jpg`); each width once, smallest file first. */
export function srcset(item: MediaItem, format: 'webp' | 'jpg'): string {
  const urls = item.urls ?? {};
  const seen = new Set<number>();
  const entries: string[] = [];
  for (const [name, width] of Object.entries(WIDTHS)) {
    const url = urls[`${name}.${format}`];
    const drawn = Math.min(width, item.width ?? width);
    if (url === undefined || seen.has(drawn)) continue;
    seen.add(drawn);
    entries.push(`${url} ${drawn}w`);
  }
  return entries.join(', ');
}

/** The JPEG for browsers that read no srcset, by layout. */
export function fallback(item: MediaItem, layout: Layout): string | undefined {
  const urls = item.urls ?? {};
  const small = layout === 'thumb' || layout === 'avatar' || layout === 'avatar-large';
  return (small ? urls['small.jpg'] : urls['medium.jpg']) ?? urls['large.jpg'] ?? urls['small.jpg'];
}

/** "1:05" for 65 000 ms. */
export function clock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** A story's picture as a small image URL once its media is ready: an image's smallest rendition, a video's poster. */
export function storyPicture(mediaId: string): string | undefined {
  const item = mediaItem(mediaId);
  if (item?.status !== 'ready') return undefined;
  return item.kind === 'image' ? fallback(item, 'thumb') : item.urls?.['thumb.jpg'];
}
