// Rejecting a verification request: the reason, which the person is shown. A refusal (already
// decided by another admin, say) shows as the server typed it, and the dialog stays open.
import { createSignal, type JSX } from 'solid-js';
import { VERIFICATION_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { Dialog } from '../Dialog.tsx';
import { TextAreaField } from '../Field.tsx';
import { FormFooter } from '../FormFooter.tsx';
import { type QueuedRequest, reject } from './staffApi.ts';
import { refusalText } from './staffText.ts';

export function RejectDialog(props: {
  request: QueuedRequest;
  onDone: (request: QueuedRequest) => void;
  onClose: () => void;
  returnFocus: () => HTMLElement | undefined;
}): JSX.Element {
  const [reason, setReason] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (reason().trim() === '') {
      setError(t('staff.reasonRequired'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      props.onDone({ ...props.request, ...(await reject(props.request.id, reason().trim())) });
    } catch (failure) {
      setError(refusalText(failure, { reason: t('staff.reasonRequired') }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('staff.rejectTitle', { name: props.request.user.username })}
      onClose={props.onClose}
      returnFocus={props.returnFocus}
      testId="reject-dialog"
    >
      <form class="stack" onSubmit={submit} novalidate>
        <TextAreaField
          id="reject-reason"
          label={t('staff.rejectReason')}
          value={reason()}
          onInput={setReason}
          maxlength={VERIFICATION_LIMITS.reasonChars}
          rows={4}
          invalid={error() !== undefined && reason().trim() === ''}
        />
        <FormFooter busy={busy()} error={error()} label={t('staff.reject')} />
      </form>
    </Dialog>
  );
}
