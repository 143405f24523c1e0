// The staff area's door: its screens render only for an account whose role allows them (admin
// for payments and verification); anyone else sees that they are not allowed, and no staff
// request is made. The server checks the role on every call anyway: a 403 there (a role taken
// away meanwhile) shows the same refusal.
import { ShieldAlert } from 'lucide-solid';
import { type JSX, Show } from 'solid-js';
import type { Role } from '../../../../protocol/spec.ts';
import { t } from '../../i18n/index.ts';
import { EmptyState } from '../ui/EmptyState.tsx';
import { AdminNav } from './AdminNav.tsx';
import { hasRole } from './access.ts';

function NotAllowed(): JSX.Element {
  return (
    <section class="card" aria-labelledby="staff-refused-title" data-testid="staff-refused">
      <h1 id="staff-refused-title" class="staff-refused-title">
        <ShieldAlert size={24} aria-hidden="true" /> {t('staff.refusedTitle')}
      </h1>
      <EmptyState title={t('staff.refused')} />
    </section>
  );
}

/** A staff screen: the area's tabs and its content for `least` and above, the refusal for anyone else. */
export function StaffOnly(props: { least: Role; title: string; refused?: boolean; children: JSX.Element }): JSX.Element {
  return (
    <Show when={hasRole(props.least) && !props.refused} fallback={<NotAllowed />}>
      <section class="card staff" aria-labelledby="staff-title">
        <h1 id="staff-title">{props.title}</h1>
        <AdminNav />
        {props.children}
      </section>
    </Show>
  );
}
