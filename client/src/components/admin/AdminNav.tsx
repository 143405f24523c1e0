// The staff area's screens, one link each (as the settings' tabs); the current one is marked for
// screen readers.
import { A } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { t } from '../../i18n/index.ts';

export function AdminNav(): JSX.Element {
  return (
    <nav class="tabs" aria-label={t('nav.staff')}>
      <A href="/staff/payments" end>
        {t('staff.payments')}
      </A>
      <A href="/staff/payments/fraud">{t('staff.fraudQueue')}</A>
      <A href="/staff/payments/spei">{t('staff.speiQueue')}</A>
      <A href="/staff/subscriptions">{t('staff.subscribers')}</A>
      <A href="/staff/verification">{t('staff.verification')}</A>
    </nav>
  );
}
