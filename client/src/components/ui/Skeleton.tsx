// Placeholders shaped like what is loading, so the page does not jump when it arrives: a post
// card (avatar, two lines, a media block) repeated `count` times. Hidden from screen readers; the
// list around it says it is busy.
import { For, type JSX } from 'solid-js';

export function PostSkeleton(props: { count?: number }): JSX.Element {
  return (
    <For each={Array.from({ length: props.count ?? 3 })}>
      {() => (
        <div class="ui-skeleton-card" aria-hidden="true" data-testid="skeleton">
          <div class="ui-skeleton-row">
            <span class="ui-skeleton circle" />
            <span class="ui-skeleton line short" />
          </div>
          <span class="ui-skeleton line" />
          <span class="ui-skeleton line" />
          <span class="ui-skeleton block" />
        </div>
      )}
    </For>
  );
}
