// An image of ready media: the tiny blurred preview at once (in the image's own proportions, so
// nothing jumps), then the rendition the layout needs, WebP where the browser takes it and JPEG
// otherwise; the preview goes when the image has loaded.
import { createSignal, type JSX, Show } from 'solid-js';
import type { MediaItem } from '../../state/media.ts';
import { fallback, type Layout, OWN_SHAPE, SIZES, srcset } from './sources.ts';

export function Picture(props: { item: MediaItem; layout: Layout; alt: string }): JSX.Element {
  const [loaded, setLoaded] = createSignal(false);
  const ratio = () =>
    OWN_SHAPE.has(props.layout) && props.item.width && props.item.height ? `${props.item.width} / ${props.item.height}` : undefined;
  return (
    <span
      class={`picture layout-${props.layout}${loaded() ? ' loaded' : ''}`}
      style={{ 'aspect-ratio': ratio() }}
      data-testid="picture"
      data-media-id={props.item.id}
    >
      <Show when={props.item.preview !== null && !loaded()}>
        <img class="preview" src={props.item.preview ?? undefined} alt="" aria-hidden="true" data-testid="preview" />
      </Show>
      <Show when={props.item.urls !== null}>
        <picture>
          <source type="image/webp" srcset={srcset(props.item, 'webp')} sizes={SIZES[props.layout]} />
          <img
            src={fallback(props.item, props.layout)}
            srcset={srcset(props.item, 'jpg')}
            sizes={SIZES[props.layout]}
            alt={props.alt}
            width={props.item.width ?? undefined}
            height={props.item.height ?? undefined}
            loading="lazy"
            decoding="async"
            onLoad={() => setLoaded(true)}
          />
        </picture>
      </Show>
    </span>
  );
}
