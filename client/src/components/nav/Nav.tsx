// The navigation: on phones a compact top bar that stays on screen (the name, chats, friends,
// notifications, saved posts, settings) and a bottom tab bar (home, explore, create, reels,
// profile); from 768 px a side rail with every destination instead. Both come from the one table
// in items.ts.
import { A } from '@solidjs/router';
import { PawPrint } from 'lucide-solid';
import { For, type JSX } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { itemsFor } from './items.ts';
import { NavLink } from './NavLink.tsx';

function Brand(): JSX.Element {
  return (
    <A href="/" class="brand" end>
      <PawPrint class="brand-mark" size={26} aria-hidden="true" />
      <span class="brand-name">{t('app.name')}</span>
    </A>
  );
}

export function NavTop(): JSX.Element {
  return (
    <header class="nav-top">
      <Brand />
      <nav aria-label={t('nav.more')} class="nav-top-items">
        <For each={itemsFor('top')}>{(item) => <NavLink item={item} variant="icon" />}</For>
      </nav>
    </header>
  );
}

export function NavBottom(): JSX.Element {
  return (
    <nav aria-label={t('nav.main')} class="nav-bottom">
      <For each={itemsFor('bottom')}>{(item) => <NavLink item={item} variant="tab" />}</For>
    </nav>
  );
}

export function NavSide(): JSX.Element {
  return (
    <aside class="nav-side">
      <Brand />
      <nav aria-label={t('nav.main')}>
        <For each={itemsFor('side')}>{(item) => <NavLink item={item} variant="rail" />}</For>
      </nav>
    </aside>
  );
}

/** Signed-out pages: the name and the way in. */
export function NavSignedOut(): JSX.Element {
  return (
    <header class="nav-top signed-out">
      <Brand />
      <nav aria-label={t('nav.main')} class="nav-top-items">
        <A href="/login" class="nav-text-link">
          {t('nav.signIn')}
        </A>
        <A href="/signup" class="nav-text-link">
          {t('nav.signUp')}
        </A>
      </nav>
    </header>
  );
}
