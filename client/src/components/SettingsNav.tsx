// The settings pages, one link each (and the staff area for admins); the current one is marked for
// screen readers.
import { A } from '@solidjs/router';
import { type JSX, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { hasRole } from './admin/access.ts';

export function SettingsNav(): JSX.Element {
  return (
    <nav class="tabs" aria-label={t('nav.settings')}>
      <A href="/settings/profile" end>
        {t('settings.profile')}
      </A>
      <A href="/settings/privacy">{t('settings.privacy')}</A>
      <A href="/settings/notifications">{t('settings.notifications')}</A>
      <A href="/settings/stories">{t('settings.stories')}</A>
      <A href="/settings/blocked">{t('settings.blocked')}</A>
      <A href="/settings/sign-in">{t('settings.signIn')}</A>
      <A href="/sessions">{t('nav.sessions')}</A>
      <A href="/billing">{t('nav.billing')}</A>
      <A href="/settings/api-tokens">{t('settings.apiTokens')}</A>
      <A href="/settings/appearance">{t('settings.appearance')}</A>
      <A href="/settings/support">{t('settings.support')}</A>
      {/* The staff area, for the accounts that have it (on phones the only way there). */}
      <Show when={hasRole('admin')}>
        <A href="/staff">{t('nav.staff')}</A>
      </Show>
    </nav>
  );
}
