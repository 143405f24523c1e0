// The end of a paginated list: its failure, "nothing here", and the next page, loaded by itself
// when the end of the list scrolls into view (an IntersectionObserver on the button) and by the
// button for keyboards and screen readers.
import { createEffect, type JSX, onCleanup, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { ErrorAlert } from './FormFooter.tsx';
import { EmptyState } from './ui/EmptyState.tsx';

export function LoadMore(props: {
  pages: { loading: () => boolean; loaded: () => boolean; error: () => string | undefined; hasMore: () => boolean; more: () => void };
  count: number;
  empty: string;
  /** The empty state with its illustration (a main list such as the feed), not a line of text. */
  illustrated?: boolean;
  /** Below an illustrated empty state's title: what to do to fill the list. */
  emptyHint?: string;
}): JSX.Element {
  let sentinel: HTMLButtonElement | undefined;
  createEffect(() => {
    if (!props.pages.hasMore() || sentinel === undefined || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        // Not after a failure: the button retries.
        if (entries.some((entry) => entry.isIntersecting) && !props.pages.loading() && props.pages.error() === undefined)
          props.pages.more();
      },
      { rootMargin: '600px 0px' },
    );
    observer.observe(sentinel);
    onCleanup(() => observer.disconnect());
  });
  return (
    <>
      <ErrorAlert text={props.pages.error()} />
      <Show when={props.pages.loaded() && props.count === 0}>
        <Show when={props.illustrated} fallback={<p class="hint">{props.empty}</p>}>
          <EmptyState title={props.empty} text={props.emptyHint} />
        </Show>
      </Show>
      <Show when={props.pages.hasMore()}>
        <button ref={sentinel} type="button" class="secondary" disabled={props.pages.loading()} onClick={() => props.pages.more()}>
          {props.pages.loading() ? t('form.working') : t('list.loadMore')}
        </button>
      </Show>
    </>
  );
}
