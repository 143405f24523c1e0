// /staff/verification: the verification requests waiting for a decision, oldest first, a page at
// a time: who asked (by username), what they say they are, their note and links, and when; an
// admin approves one, or rejects it with a reason the person is shown. The row then says what was
// decided (it stays until the next visit, so the list does not jump under the pointer). Admins
// only (StaffOnly).
import { A } from '@solidjs/router';
import { BadgeCheck, ShieldX } from 'lucide-solid';
import { createSignal, For, Index, type JSX, onMount, Show } from 'solid-js';
import { hasRole, isRefusal } from '../../components/admin/access.ts';
import { RejectDialog } from '../../components/admin/RejectDialog.tsx';
import { StaffOnly } from '../../components/admin/StaffOnly.tsx';
import { approve, type QueuedRequest, verificationQueue } from '../../components/admin/staffApi.ts';
import { formatWhen, refusalText } from '../../components/admin/staffText.ts';
import { ErrorAlert } from '../../components/FormFooter.tsx';
import { LoadMore } from '../../components/LoadMore.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { usePages } from '../../components/usePages.ts';
import { t } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import '../../styles/plans.css';
import '../../styles/admin.css';

function RequestRow(props: { request: QueuedRequest; onChange: (request: QueuedRequest) => void }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const [rejecting, setRejecting] = createSignal(false);
  let row: HTMLLIElement | undefined;
  let rejectButton: HTMLButtonElement | undefined;
  const name = () => props.request.user.username;
  const decided = (request: QueuedRequest, message: string) => {
    props.onChange(request);
    actions.toast(message);
  };
  const approveIt = async () => {
    setBusy(true);
    setError(undefined);
    try {
      decided({ ...props.request, ...(await approve(props.request.id)) }, t('staff.approved', { name: name() }));
      row?.focus();
    } catch (failure) {
      setError(refusalText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="staff-row" tabindex="-1" ref={row} data-testid={`staff-request-${props.request.id}`}>
      <div class="staff-row-what">
        <span class="staff-row-name">
          <A href={`/u/${encodeURIComponent(name())}`}>
            <bdi>@{name()}</bdi>
          </A>{' '}
          · {t(`verification.category.${props.request.category}`)}
        </span>
        <Show when={props.request.note !== ''}>
          <p class="staff-note" dir="auto">
            {props.request.note}
          </p>
        </Show>
        <Show when={props.request.links.length > 0}>
          <ul class="staff-links" aria-label={t('staff.links')}>
            <For each={props.request.links}>
              {(link) => (
                <li>
                  <a href={link} target="_blank" rel="noopener noreferrer nofollow" dir="ltr">
                    {link}
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <span class="hint">
          <time datetime={props.request.createdAt}>{formatWhen(props.request.createdAt)}</time>
        </span>
        <Show when={props.request.status === 'rejected' && props.request.reason}>
          {(reason) => (
            <p class="hint" dir="auto" data-testid="staff-request-reason">
              {t('staff.rejectedBecause', { reason: reason() })}
            </p>
          )}
        </Show>
        <ErrorAlert text={error()} />
      </div>
      <div class="staff-row-amount">
        <span
          class={`status-pill ${props.request.status === 'approved' ? 'good' : props.request.status === 'rejected' ? 'bad' : 'wait'}`}
          data-testid="staff-request-status"
        >
          {t(`staff.request.${props.request.status}`)}
        </span>
      </div>
      <Show when={props.request.status === 'pending'}>
        <div class="staff-row-actions">
          <Button size="sm" icon={BadgeCheck} disabled={busy()} onClick={() => void approveIt()}>
            {busy() ? t('form.working') : t('staff.approve')}
          </Button>
          <Button ref={rejectButton} size="sm" variant="danger" icon={ShieldX} disabled={busy()} onClick={() => setRejecting(true)}>
            {t('staff.reject')}
          </Button>
        </div>
      </Show>
      <Show when={rejecting()}>
        <RejectDialog
          request={props.request}
          onClose={() => setRejecting(false)}
          returnFocus={() => (rejectButton?.isConnected ? rejectButton : row)}
          onDone={(request) => {
            setRejecting(false);
            decided(request, t('staff.rejected', { name: name() }));
          }}
        />
      </Show>
    </li>
  );
}

export default function VerificationQueue(): JSX.Element {
  const [refused, setRefused] = createSignal(false);
  const pages = usePages((after) =>
    verificationQueue(after).catch((error: unknown) => {
      if (isRefusal(error)) setRefused(true);
      throw error;
    }),
  );
  onMount(() => {
    if (hasRole('admin')) void pages.reload();
  });
  const replace = (changed: QueuedRequest) => pages.setItems((items) => items.map((item) => (item.id === changed.id ? changed : item)));
  return (
    <StaffOnly least="admin" title={t('staff.verification')} refused={refused()}>
      <p class="hint">{t('staff.verificationHelp')}</p>
      <ul class="staff-list" aria-label={t('staff.verification')} aria-busy={pages.loading()} data-testid="staff-requests">
        <Index each={pages.items()}>{(request) => <RequestRow request={request()} onChange={replace} />}</Index>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('staff.verificationEmpty')} />
    </StaffOnly>
  );
}
