// A payment's receipt, downloaded as its PDF: GET /payments/<id>/receipt.pdf with the session's
// access token (the route takes the bearer header, as uploads do, not a cookie), saved under the
// file name the server gives. The billing history and the treats screen both offer it.
import { FileDown } from 'lucide-solid';
import { createSignal, type JSX } from 'solid-js';
import { ApiError } from '../../api/http.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import { Button } from '../ui/Button.tsx';

/** The states of a payment that was completed: only these have a receipt. */
export const hasReceipt = (payment: { status: string }) => ['completed', 'refunded', 'reversed'].includes(payment.status);

export interface ReceiptDeps {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  token: () => Promise<string>;
  /** Hands the file to the browser to keep. */
  save: (blob: Blob, filename: string) => void;
}

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: some browsers read the object URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function downloadReceipt(paymentId: string, overrides: Partial<ReceiptDeps> = {}): Promise<void> {
  const deps: ReceiptDeps = { fetch: (url, init) => fetch(url, init), token: actions.token, save, ...overrides };
  let response: Response;
  try {
    response = await deps.fetch(`/payments/${paymentId}/receipt.pdf`, {
      headers: { accept: 'application/pdf', authorization: `Bearer ${await deps.token()}` },
    });
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw new ApiError('NETWORK', (cause as Error).message, 0);
  }
  if (!response.ok) {
    const payload = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    throw new ApiError(payload.error?.code ?? 'UNKNOWN', payload.error?.message ?? response.statusText, response.status);
  }
  const named = response.headers.get('content-disposition')?.match(/filename="([^"]+)"/)?.[1];
  deps.save(await response.blob(), named ?? `petamigos-receipt-${paymentId}.pdf`);
}

export function ReceiptButton(props: { paymentId: string; label: string }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadReceipt(props.paymentId);
    } catch (error) {
      actions.toast(errorText(error), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="sm" variant="secondary" icon={FileDown} disabled={busy()} aria-label={props.label} onClick={() => void download()}>
      {t('receipts.download')}
    </Button>
  );
}
