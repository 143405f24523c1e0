// One destination of the navigation: its icon, its label (shown or only spoken, by `variant`)
// and its live count. The current page is marked (aria-current) by the router's link.
import { A } from '@solidjs/router';
import { type JSX, Show } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { t } from '../../i18n/index.ts';
import { state } from '../../state/store.ts';
import { CountBadge } from '../ui/Badge.tsx';
import type { NavItem } from './items.ts';

export function NavLink(props: { item: NavItem; variant: 'tab' | 'icon' | 'rail' }): JSX.Element {
  const count = () => props.item.count?.() ?? 0;
  const spoken = () =>
    count() > 0 && props.item.countLabel !== undefined ? t(props.item.countLabel, { count: count() }) : t(props.item.label);
  return (
    <A
      href={props.item.href()}
      end={props.item.end}
      class={`nav-link ${props.variant}`}
      title={props.variant === 'icon' ? t(props.item.label) : undefined}
      data-testid={`nav-${props.item.id}`}
    >
      <span class="nav-icon">
        <Dynamic component={props.item.icon} size={24} aria-hidden="true" />
        <CountBadge count={count()} testId={`nav-${props.item.id}-count`} />
        <Show when={props.item.presence}>
          <span
            class={`presence-dot ${state.presence}`}
            aria-hidden="true"
            title={t('presence.you', { status: t(`presence.${state.presence}`) })}
            data-status={state.presence}
            data-testid="presence-self"
          />
        </Show>
      </span>
      {/* The name comes from the content (with the count), so what is seen is part of what is heard. */}
      <span class="visually-hidden">{spoken()}</span>
      <Show when={props.variant !== 'icon'}>
        <span class="nav-label" aria-hidden="true">
          {t(props.item.label)}
        </span>
      </Show>
    </A>
  );
}
