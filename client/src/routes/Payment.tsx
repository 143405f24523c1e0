// /payments/:id/return and /payments/:id/cancel: where the provider sends the buyer back. Return
// settles the payment (payments.capture, safe to repeat: a reload or a second tab does no harm) and
// says how it ended; not approved yet (or cash not paid yet at the store) offers to check again. Cancel only says nothing was charged
// (the payment stays waiting and lapses at the provider). Both lead back to the wallet.
import { useParams } from '@solidjs/router';
import { CircleAlert, CircleCheck, LoaderCircle } from 'lucide-solid';
import { createResource, createSignal, type JSX, Match, Switch } from 'solid-js';
import { ProtocolError } from '../../../protocol/client.ts';
import { Button } from '../components/ui/Button.tsx';
import { t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';
import '../styles/wallet.css';

type Outcome =
  | { kind: 'completed'; treats: number }
  | { kind: 'waiting'; method: string }
  | { kind: 'fraud' }
  | { kind: 'failed' }
  | { kind: 'error'; text: string };

async function settle(paymentId: string): Promise<Outcome> {
  try {
    const payment = await actions.call('payments.capture', { paymentId });
    if (payment.status === 'completed') return { kind: 'completed', treats: payment.treats };
    if (payment.status === 'fraud_suspected') return { kind: 'fraud' };
    if (payment.status === 'failed') return { kind: 'failed' };
    return { kind: 'waiting', method: payment.method };
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'PAYMENT_NOT_APPROVED')
      return { kind: 'waiting', method: (await actions.call('payments.get', { paymentId })).method };
    return { kind: 'error', text: errorText(error) };
  }
}

export default function PaymentReturn(): JSX.Element {
  const params = useParams<{ id: string }>();
  const [attempt, setAttempt] = createSignal(0);
  const [outcome] = createResource(
    () => [params.id, attempt()] as const,
    ([id]) => settle(id),
  );
  return (
    <section class="card payment-result" aria-labelledby="payment-title" aria-live="polite" data-testid="payment-result">
      <h1 id="payment-title">{t('payment.title')}</h1>
      <Switch>
        <Match when={outcome.loading}>
          <p class="payment-status">
            <LoaderCircle class="spin" size={20} aria-hidden="true" /> {t('payment.completing')}
          </p>
        </Match>
        <Match when={outcome()?.kind === 'completed' && (outcome() as { treats: number })}>
          {(done) => (
            <p class="payment-status done" data-testid="payment-completed">
              <CircleCheck size={20} aria-hidden="true" /> {t('payment.completed', { count: done().treats })}
            </p>
          )}
        </Match>
        <Match when={outcome()?.kind === 'waiting' && (outcome() as { method: string })}>
          {(waiting) => (
            <>
              <p class="payment-status" data-testid="payment-waiting">
                {waiting().method === 'paypal' ? t('payment.notApproved') : t('payment.pending')}
              </p>
              <Button variant="secondary" onClick={() => setAttempt((n) => n + 1)}>
                {t('payment.checkAgain')}
              </Button>
            </>
          )}
        </Match>
        <Match when={outcome()?.kind === 'fraud'}>
          <p class="payment-status warning" role="alert">
            <CircleAlert size={20} aria-hidden="true" /> {t('payment.fraud')}
          </p>
        </Match>
        <Match when={outcome()?.kind === 'failed'}>
          <p class="payment-status warning" role="alert">
            <CircleAlert size={20} aria-hidden="true" /> {t('payment.failed')}
          </p>
        </Match>
        <Match when={outcome()?.kind === 'error' && (outcome() as { text: string })}>
          {(failed) => (
            <p class="payment-status warning" role="alert">
              <CircleAlert size={20} aria-hidden="true" /> {failed().text}
            </p>
          )}
        </Match>
      </Switch>
      <Button href="/wallet" variant="secondary">
        {t('payment.backToWallet')}
      </Button>
    </section>
  );
}

export function PaymentCancelled(): JSX.Element {
  return (
    <section class="card payment-result" aria-labelledby="payment-title" data-testid="payment-cancelled">
      <h1 id="payment-title">{t('payment.title')}</h1>
      <p class="payment-status">{t('payment.cancelled')}</p>
      <Button href="/wallet" variant="secondary">
        {t('payment.backToWallet')}
      </Button>
    </section>
  );
}
