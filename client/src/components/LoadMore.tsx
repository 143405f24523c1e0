// The end of a paginated list: its failure, "load more" while there is more, or "nothing here".
import { type JSX, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { ErrorAlert } from './FormFooter.tsx';

export function LoadMore(props: {
  pages: { loading: () => boolean; loaded: () => boolean; error: () => string | undefined; hasMore: () => boolean; more: () => void };
  count: number;
  empty: string;
}): JSX.Element {
  return (
    <>
      <ErrorAlert text={props.pages.error()} />
      <Show when={props.pages.loaded() && props.count === 0}>
        <p class="hint">{props.empty}</p>
      </Show>
      <Show when={props.pages.hasMore()}>
        <button type="button" class="secondary" disabled={props.pages.loading()} onClick={() => props.pages.more()}>
          {props.pages.loading() ? t('form.working') : t('list.loadMore')}
        </button>
      </Show>
    </>
  );
}
