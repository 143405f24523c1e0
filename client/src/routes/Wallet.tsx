// /wallet: the user's treats. Their two balances (kept live by `treats.changed`), the packs to buy
// with their prices in the chosen currency (MXN for a Mexican locale, else USD; switchable),
// formatted by Intl.NumberFormat, and the history of movements, a page at a time. Buying (with each
// method the deployment offers) starts a checkout and sends the browser to the provider's page;
// it comes back to /payments/<id>/return (Payment.tsx). Links lead to the plans and to billing.
import { Coins, CreditCard, Sparkles } from 'lucide-solid';
import { createResource, createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { CurrencySwitch } from '../components/payments/CurrencySwitch.tsx';
import { type Method, offers } from '../components/payments/methods.ts';
import { type Currency, formatPrice, preferredCurrency } from '../components/payments/price.ts';
import { hasReceipt } from '../components/payments/ReceiptButton.tsx';
import { ReceiptList } from '../components/payments/ReceiptList.tsx';
import { type Payment, SpeiInstructions } from '../components/payments/SpeiInstructions.tsx';
import { Button } from '../components/ui/Button.tsx';
import { usePages } from '../components/usePages.ts';
import { formatNumber, formatRelative, t } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/messages/en.ts';
import { actions, errorText } from '../state/store.ts';
import '../styles/wallet.css';

/** The methods the screen offers, with their words. */
const METHODS: Record<Method, { buy: MessageKey; redirecting: MessageKey }> = {
  paypal: { buy: 'wallet.payWithPayPal', redirecting: 'wallet.redirecting' },
  mercadopago: { buy: 'wallet.payWithMercadoPago', redirecting: 'wallet.redirectingMercadoPago' },
  spei: { buy: 'wallet.payWithSpei', redirecting: 'wallet.payWithSpei' },
};
type WithSpei = Payment & { spei: NonNullable<Payment['spei']> };
const withSpei = (payment: Payment): payment is WithSpei => payment.spei !== null;
type Movement = Awaited<ReturnType<typeof history>>['items'][number];
const history = (cursor: string | undefined) => actions.call('treats.history', { cursor });

const treats = (count: number) => t('wallet.treats', { count });

function describe(item: Movement): string {
  const name = item.counterpart === null ? undefined : item.counterpart.displayName || item.counterpart.username;
  switch (item.kind) {
    case 'purchase':
      return t('wallet.kind.purchase');
    case 'allowance':
      return t('wallet.kind.allowance');
    case 'reversal':
      return t('wallet.kind.reversal');
    case 'tip':
      if (item.account === 'earned')
        return name === undefined ? t('wallet.kind.tipReceivedAnyone') : t('wallet.kind.tipReceived', { name });
      return name === undefined ? t('wallet.kind.tipSentAnyone') : t('wallet.kind.tipSent', { name });
  }
}

export default function Wallet(): JSX.Element {
  const [balances, { mutate }] = createResource(() => actions.call('treats.balance', {}));
  const [options] = createResource(() => actions.call('payments.options', {}));
  const pages = usePages(history);
  const [currency, setCurrency] = createSignal<Currency>(preferredCurrency());
  const [buying, setBuying] = createSignal<string | undefined>();
  const [failure, setFailure] = createSignal<string | undefined>();
  /** SPEI payments waiting for their transfer, and the one whose instructions are open. */
  const [waiting, setWaiting] = createSignal<WithSpei[]>([]);
  const [shown, setShown] = createSignal<WithSpei | undefined>();
  /** The latest payments that have a receipt. */
  const [receipted, setReceipted] = createSignal<Payment[]>([]);
  const refreshWaiting = async () => {
    try {
      const page = await actions.call('payments.list', {});
      setWaiting(page.items.filter(withSpei));
      setReceipted(page.items.filter(hasReceipt));
    } catch (error) {
      setFailure(errorText(error));
    }
  };

  onMount(() => {
    void pages.reload();
    void refreshWaiting();
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name === 'payments.changed') {
          const { payment } = event.body as { payment: Payment };
          if (payment.spei === null) setWaiting((list) => list.filter((each) => each.id !== payment.id));
          if (shown()?.id === payment.id && payment.spei === null) setShown(undefined);
          if (hasReceipt(payment))
            setReceipted((list) =>
              list.some((each) => each.id === payment.id)
                ? list.map((each) => (each.id === payment.id ? payment : each))
                : [payment, ...list],
            );
          return;
        }
        if (event.name !== 'treats.changed') return;
        const body = event.body as { wallet: number; earned: number };
        mutate({ wallet: body.wallet, earned: body.earned });
        void pages.reload();
      }),
    );
  });

  const buy = async (packId: string, method: Method) => {
    setFailure(undefined);
    setBuying(`${packId}:${method}`);
    try {
      const payment = await actions.call('payments.checkout', { packId: packId as 'treats_100', method, currency: currency() });
      if (withSpei(payment)) {
        // Nothing to go to: the transfer's instructions, here, and among those waiting.
        setShown(payment);
        setBuying(undefined);
        void refreshWaiting();
        return;
      }
      if (payment.approveUrl === null) throw new Error('no approval page');
      window.location.assign(payment.approveUrl);
    } catch (error) {
      setFailure(errorText(error));
      setBuying(undefined);
    }
  };

  return (
    <section class="card wallet" aria-labelledby="wallet-title" data-testid="wallet">
      <h1 id="wallet-title" class="wallet-title">
        <Coins size={24} aria-hidden="true" /> {t('wallet.title')}
      </h1>
      <nav class="billing-links" aria-label={t('billing.related')}>
        <Button href="/pricing" size="sm" variant="secondary" icon={Sparkles}>
          {t('plans.title')}
        </Button>
        <Button href="/billing" size="sm" variant="secondary" icon={CreditCard}>
          {t('billing.title')}
        </Button>
      </nav>
      <dl class="wallet-balances" aria-label={t('wallet.balances')} data-testid="wallet-balances">
        <div class="wallet-balance">
          <dt>{t('wallet.wallet')}</dt>
          <dd data-testid="wallet-balance">{balances() === undefined ? '…' : formatNumber(balances()?.wallet ?? 0)}</dd>
          <dd class="hint">{t('wallet.walletHint')}</dd>
        </div>
        <div class="wallet-balance">
          <dt>{t('wallet.earned')}</dt>
          <dd data-testid="earned-balance">{balances() === undefined ? '…' : formatNumber(balances()?.earned ?? 0)}</dd>
          <dd class="hint">{t('wallet.earnedHint')}</dd>
        </div>
      </dl>

      <h2>{t('wallet.buy')}</h2>
      <Show when={options()}>
        {(offered) => (
          <Show when={offered().methods.some((method) => method in METHODS)} fallback={<p class="hint">{t('wallet.noMethods')}</p>}>
            <CurrencySwitch currency={currency()} onChange={setCurrency} />
            <ul class="wallet-packs" data-testid="wallet-packs">
              <For each={offered().packs}>
                {(pack) => {
                  const price = () => formatPrice(pack.prices[currency()], currency());
                  return (
                    <li class="wallet-pack" data-testid={`pack-${pack.id}`}>
                      <span class="wallet-pack-treats">{treats(pack.treats)}</span>
                      <span class="wallet-pack-price">{price()}</span>
                      <span class="wallet-pack-methods">
                        <For
                          each={offered().methods.filter(
                            (method): method is Method => method in METHODS && offers(method as Method, currency()),
                          )}
                        >
                          {(method) => (
                            <Button
                              size="sm"
                              variant={method === 'paypal' ? 'primary' : 'secondary'}
                              disabled={buying() !== undefined}
                              data-method={method}
                              aria-label={`${t(METHODS[method].buy)}: ${t('wallet.packLabel', { treats: treats(pack.treats), price: price() })}`}
                              onClick={() => void buy(pack.id, method)}
                            >
                              {buying() === `${pack.id}:${method}` ? t(METHODS[method].redirecting) : t(METHODS[method].buy)}
                            </Button>
                          )}
                        </For>
                      </span>
                    </li>
                  );
                }}
              </For>
            </ul>
          </Show>
        )}
      </Show>
      <ErrorAlert text={failure()} />
      <Show when={waiting().length > 0}>
        <h2>{t('wallet.pendingTransfers')}</h2>
        <ul class="wallet-packs" data-testid="wallet-waiting">
          <For each={waiting()}>
            {(payment) => (
              <li class="wallet-pack">
                <span class="wallet-pack-treats">{treats(payment.treats)}</span>
                <span class="wallet-pack-price">{formatPrice(payment.amountMinor, payment.currency)}</span>
                <span class="wallet-pack-methods">
                  <Button size="sm" variant="secondary" onClick={() => setShown(payment)}>
                    {t('wallet.showInstructions')}
                  </Button>
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={shown()}>
        {(payment) => (
          <Dialog title={t('spei.title')} onClose={() => setShown(undefined)} testId="spei-dialog">
            <SpeiInstructions payment={payment()} />
          </Dialog>
        )}
      </Show>

      <ReceiptList payments={receipted()} />

      <h2>{t('wallet.history')}</h2>
      <ol class="wallet-history" data-testid="wallet-history">
        <For each={pages.items()}>
          {(item) => (
            <li class="wallet-movement">
              <span class="wallet-movement-what">
                <span>{describe(item)}</span>
                <Show when={item.note}>{(note) => <q dir="auto">{note()}</q>}</Show>
                <time class="hint" datetime={item.at}>
                  {formatRelative(item.at)}
                </time>
              </span>
              <span class="wallet-movement-amount" classList={{ in: item.amount > 0, out: item.amount < 0 }}>
                {item.amount > 0 ? '+' : '−'}
                {formatNumber(Math.abs(item.amount))}
                <small class="hint">{t('wallet.balanceAfter', { balance: formatNumber(item.balanceAfter) })}</small>
              </span>
            </li>
          )}
        </For>
      </ol>
      <LoadMore pages={pages} count={pages.items().length} empty={t('wallet.noHistory')} />
    </section>
  );
}
