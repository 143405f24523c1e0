// The buttons every screen uses: a text button in four variants (primary, secondary, ghost,
// danger) with an optional leading icon, and a round icon button whose label is spoken (and
// shown as its tooltip), which can be a toggle (`pressed`: mute, camera off). Both render a link
// instead when given `href`.
import { A } from '@solidjs/router';
import type { LucideProps } from 'lucide-solid';
import { type Component, type JSX, Show, splitProps } from 'solid-js';
import { Dynamic } from 'solid-js/web';

type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';
type Icon = Component<LucideProps>;

interface Common {
  variant?: ButtonVariant;
  size?: 'md' | 'sm';
  icon?: Icon;
  href?: string;
}

export function Button(props: Common & JSX.ButtonHTMLAttributes<HTMLButtonElement>): JSX.Element {
  const [own, rest] = splitProps(props, ['variant', 'size', 'icon', 'href', 'children', 'class']);
  const classes = () => `ui-button ${own.variant ?? 'primary'} ${own.size ?? 'md'} ${own.class ?? ''}`.trim();
  const content = (
    <>
      <Show when={own.icon}>{(icon) => <Dynamic component={icon()} size={own.size === 'sm' ? 16 : 18} aria-hidden="true" />}</Show>
      {own.children}
    </>
  );
  return (
    <Show
      when={own.href}
      fallback={
        <button type="button" class={classes()} {...rest}>
          {content}
        </button>
      }
    >
      {(href) => (
        <A href={href()} class={classes()} {...(rest as JSX.AnchorHTMLAttributes<HTMLAnchorElement>)}>
          {content}
        </A>
      )}
    </Show>
  );
}

export function IconButton(
  props: {
    icon: Icon;
    label: string;
    href?: string;
    badge?: JSX.Element;
    variant?: 'ghost' | 'primary' | 'danger';
    /** A toggle's state, spoken as pressed or not. */
    pressed?: boolean;
  } & Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'children'>,
): JSX.Element {
  const [own, rest] = splitProps(props, ['icon', 'label', 'href', 'badge', 'variant', 'class', 'pressed']);
  const classes = () => `ui-icon-button ${own.variant ?? 'ghost'} ${own.class ?? ''}`.trim();
  const content = (
    <>
      <Dynamic component={own.icon} size={22} aria-hidden="true" />
      {own.badge}
    </>
  );
  return (
    <Show
      when={own.href}
      fallback={
        <button type="button" class={classes()} aria-label={own.label} title={own.label} aria-pressed={own.pressed} {...rest}>
          {content}
        </button>
      }
    >
      {(href) => (
        <A href={href()} class={classes()} aria-label={own.label} title={own.label}>
          {content}
        </A>
      )}
    </Show>
  );
}
