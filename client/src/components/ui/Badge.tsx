// A count on an icon or a tab (unread chats, notifications): 99+ beyond 99, nothing at 0. The
// number is for sighted users; the element it sits on carries the spoken label.
import { type JSX, Show } from 'solid-js';
import { formatNumber } from '../../i18n/index.ts';

export function CountBadge(props: { count: number; testId?: string }): JSX.Element {
  return (
    <Show when={props.count > 0}>
      <span class="ui-badge" data-testid={props.testId} aria-hidden="true">
        {props.count > 99 ? `${formatNumber(99)}+` : formatNumber(props.count)}
      </span>
    </Show>
  );
}
