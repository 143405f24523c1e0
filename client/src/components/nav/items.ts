// Every place the navigation leads, in one table: the phone's bottom tab bar, its top bar and the
// desktop's side rail are all built from it (NavBottom, NavTop, NavSide), so a new destination is
// one row here. `count` is a live badge (unread chats, notifications); `places` says where an
// item shows.

import type { LucideProps } from 'lucide-solid';
import {
  Bell,
  Bookmark,
  Clapperboard,
  Coins,
  Compass,
  CreditCard,
  House,
  MessageCircle,
  Settings,
  ShieldCheck,
  SquarePlus,
  UserRound,
  UsersRound,
} from 'lucide-solid';
import type { Component } from 'solid-js';
import type { MessageKey } from '../../i18n/messages/en.ts';
import { state } from '../../state/store.ts';
import { hasRole } from '../admin/access.ts';

export type NavPlace = 'bottom' | 'top' | 'side';

export interface NavItem {
  id: string;
  href: () => string;
  icon: Component<LucideProps>;
  label: MessageKey;
  /** The spoken label while `count` is above 0 ("Chats, 3 unread"). */
  countLabel?: MessageKey;
  count?: () => number;
  /** Marked current only on this exact path (Home would otherwise match every path). */
  end?: boolean;
  places: readonly NavPlace[];
  /** Shows the user's own presence on the icon (the profile). */
  presence?: boolean;
  /** Shown only while this holds (the staff area: to admins). */
  shown?: () => boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'home', href: () => '/', icon: House, label: 'nav.home', end: true, places: ['bottom', 'side'] },
  { id: 'explore', href: () => '/explore', icon: Compass, label: 'nav.explore', places: ['bottom', 'side'] },
  { id: 'create', href: () => '/create', icon: SquarePlus, label: 'nav.create', places: ['bottom', 'side'] },
  { id: 'reels', href: () => '/reels', icon: Clapperboard, label: 'reels.title', places: ['bottom', 'side'] },
  // On phones in the top bar (with its unread count), as the big apps do, so the tab bar keeps five tabs.
  {
    id: 'chats',
    href: () => '/chats',
    icon: MessageCircle,
    label: 'nav.chats',
    countLabel: 'nav.chatsUnread',
    count: () => state.chatsUnread.conversations,
    places: ['top', 'side'],
  },
  { id: 'friends', href: () => '/friends', icon: UsersRound, label: 'nav.friends', places: ['top', 'side'] },
  {
    id: 'notifications',
    href: () => '/notifications',
    icon: Bell,
    label: 'nav.notifications',
    countLabel: 'nav.notificationsUnread',
    count: () => state.unread,
    places: ['top', 'side'],
  },
  { id: 'saved', href: () => '/saved', icon: Bookmark, label: 'nav.saved', places: ['top', 'side'] },
  { id: 'wallet', href: () => '/wallet', icon: Coins, label: 'nav.wallet', places: ['top', 'side'] },
  // On phones through the settings (SettingsNav) and the treats screen: the top bar is full.
  { id: 'billing', href: () => '/billing', icon: CreditCard, label: 'nav.billing', places: ['side'] },
  {
    id: 'profile',
    href: () => `/u/${encodeURIComponent(state.user?.username ?? '')}`,
    icon: UserRound,
    label: 'nav.profile',
    places: ['bottom', 'side'],
    presence: true,
  },
  { id: 'settings', href: () => '/settings/profile', icon: Settings, label: 'nav.settings', places: ['top', 'side'] },
  // On phones through the settings (SettingsNav), for the few accounts that have it.
  { id: 'staff', href: () => '/staff', icon: ShieldCheck, label: 'nav.staff', places: ['side'], shown: () => hasRole('admin') },
];

/** The items of a place the signed-in account may see (read in a tracking scope: a role change shows or hides the staff item). */
export const itemsFor = (place: NavPlace) => NAV_ITEMS.filter((item) => item.places.includes(place) && (item.shown?.() ?? true));
