// What a list shows when it has nothing yet: a small illustration (a paw print in a circle),
// a title, a line of help and an optional action.
import { type JSX, Show } from 'solid-js';

export function EmptyState(props: { title: string; text?: string; action?: JSX.Element; testId?: string }): JSX.Element {
  return (
    <div class="ui-empty" data-testid={props.testId}>
      <svg viewBox="0 0 96 96" width="96" height="96" aria-hidden="true" class="ui-empty-art">
        <circle cx="48" cy="48" r="46" fill="var(--color-primary-soft)" />
        <g fill="var(--color-primary)">
          <ellipse cx="48" cy="60" rx="15" ry="12" />
          <ellipse cx="30" cy="44" rx="6" ry="8" />
          <ellipse cx="41" cy="33" rx="6" ry="8" />
          <ellipse cx="55" cy="33" rx="6" ry="8" />
          <ellipse cx="66" cy="44" rx="6" ry="8" />
        </g>
      </svg>
      <p class="ui-empty-title">{props.title}</p>
      <Show when={props.text}>
        <p class="hint">{props.text}</p>
      </Show>
      {props.action}
    </div>
  );
}
