// Reels as a grid of covers, three a row in 9:16, each with its view count (a profile's Reels tab,
// a sound's page); a tap opens the player at that reel (`href`). More load as the end nears.
import { A } from '@solidjs/router';
import { Play } from 'lucide-solid';
import { For, type JSX, Show } from 'solid-js';
import { formatNumber, t } from '../../i18n/index.ts';
import type { Reel } from '../../state/reels.ts';
import { LoadMore } from '../LoadMore.tsx';
import { thumbOf } from '../media/sources.ts';

export function ReelGrid(props: {
  pages: Parameters<typeof LoadMore>[0]['pages'] & { items: () => Reel[] };
  href: (reel: Reel) => string;
  empty: string;
  testId?: string;
}): JSX.Element {
  return (
    <>
      <ul class="reel-grid" data-testid={props.testId ?? 'reel-grid'} aria-busy={props.pages.loading()}>
        <For each={props.pages.items()}>
          {(reel) => {
            const name = reel.post.author.displayName || reel.post.author.username;
            return (
              <li>
                <A
                  href={props.href(reel)}
                  class="reel-tile"
                  aria-label={`${t('reels.reelBy', { name })}. ${t('reels.views', { count: reel.views })}`}
                  data-testid={`reel-tile-${reel.post.id}`}
                >
                  <Show when={thumbOf(reel.mediaId)}>{(src) => <img src={src()} alt="" loading="lazy" decoding="async" />}</Show>
                  <span class="reel-tile-views" aria-hidden="true">
                    <Play size={14} fill="currentColor" /> {formatNumber(reel.views)}
                  </span>
                </A>
              </li>
            );
          }}
        </For>
      </ul>
      <LoadMore pages={props.pages} count={props.pages.items().length} empty={props.empty} />
    </>
  );
}
