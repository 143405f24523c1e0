// Sending treats to the author of a post or reel (`treats.tip`): the action in a post's bar and a
// reel's column (never on one's own), and its dialog: a few preset amounts or another, an optional
// note with its counter, the wallet (read when it opens and kept live by `treats.changed`) and
// what share of the tip the author gets. One opening of the dialog is one tip: its clientId is
// drawn when it opens and sent on every retry, so a send whose answer was lost and is sent again
// is charged once. A wallet short of the amount says by how much, with the way to buy more (also
// before sending, when the balance already shows it); too many tips say when to try again; a post
// gone says so. A sent tip is confirmed in the dialog with the wallet after it.
import { CircleCheck, Coins, HandCoins } from 'lucide-solid';
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { ProtocolError } from '../../../../protocol/client.ts';
import { TREAT_LIMITS } from '../../../../protocol/lists.ts';
import { formatNumber, locale, t } from '../../i18n/index.ts';
import type { Post } from '../../state/posts.ts';
import { actions, errorText } from '../../state/store.ts';
import { FieldError } from '../Composer.tsx';
import { Dialog } from '../Dialog.tsx';
import { InputField, TextAreaField } from '../Field.tsx';
import { ErrorAlert } from '../FormFooter.tsx';
import { Button } from '../ui/Button.tsx';
import '../../styles/tips.css';

/** The amounts offered with one tap. */
const TIP_PRESETS = [5, 10, 25, 50, 100] as const;
const FIRST_AMOUNT = 10;

type Author = Post['author'];
const nameOf = (author: Author) => author.displayName || author.username;
const treats = (count: number) => t('wallet.treats', { count });

/** The amount typed or picked, when it is one a tip may carry (a whole number from 1 to the most). */
function tipAmount(text: string): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return value >= 1 && value <= TREAT_LIMITS.maxTip ? value : undefined;
}

/** The "Send treats" action of a post's bar or a reel's column. */
export function TipButton(props: { author: Author; iconSize: number; onClick: () => void }): JSX.Element {
  const label = () => t('tip.to', { name: nameOf(props.author) });
  return (
    <button type="button" class="post-action" title={label()} data-testid="tip" onClick={() => props.onClick()}>
      <HandCoins size={props.iconSize} aria-hidden="true" />
      <span class="visually-hidden">{label()}</span>
    </button>
  );
}

/** What the last send came to, when it was not a plain failure. */
type Outcome = { kind: 'sent'; treats: number } | { kind: 'gone' } | { kind: 'failed'; text: string };

/** A refusal of `treats.tip` as the dialog shows it; a short wallet is shown from the balance instead. */
function outcomeOf(error: unknown): Outcome {
  if (error instanceof ProtocolError) {
    if (error.code === 'NOT_FOUND') return { kind: 'gone' };
    const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (error.code === 'RATE_LIMITED' && typeof seconds === 'number')
      return { kind: 'failed', text: t('tip.rateLimited', { count: seconds }) };
  }
  return { kind: 'failed', text: errorText(error) };
}

export function TipDialog(props: { post: Pick<Post, 'id' | 'author'>; onClose: () => void }): JSX.Element {
  const clientId = crypto.randomUUID();
  const [balance, setBalance] = createSignal<number | undefined>();
  const [amountText, setAmountText] = createSignal(String(FIRST_AMOUNT));
  const [note, setNote] = createSignal('');
  const [tried, setTried] = createSignal(false);
  const [sending, setSending] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome | undefined>();
  const name = () => nameOf(props.post.author);
  const amount = () => tipAmount(amountText());
  const amountError = () =>
    amount() === undefined && (tried() || amountText() !== '')
      ? t('tip.range', { min: formatNumber(1), max: formatNumber(TREAT_LIMITS.maxTip) })
      : undefined;
  /** How many treats the wallet lacks for the amount, as far as it is known (0: none, or not known yet). */
  const shortBy = () => {
    const wanted = amount();
    const has = balance();
    return wanted !== undefined && has !== undefined && wanted > has ? wanted - has : 0;
  };
  const share = new Intl.NumberFormat(locale(), { style: 'percent' }).format(TREAT_LIMITS.creatorSharePercent / 100);

  onMount(() => {
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name === 'treats.changed') setBalance((event.body as { wallet: number }).wallet);
      }),
    );
    actions.call('treats.balance', {}).then(
      // A balance heard meanwhile is newer than this answer.
      (balances) => setBalance((heard) => heard ?? balances.wallet),
      (error: unknown) => setOutcome({ kind: 'failed', text: errorText(error) }),
    );
  });

  const send = async (event: Event) => {
    event.preventDefault();
    setTried(true);
    const count = amount();
    if (count === undefined || shortBy() > 0 || sending()) return;
    setSending(true);
    setOutcome(undefined);
    const text = note().trim();
    try {
      const answer = await actions.call('treats.tip', {
        postId: props.post.id,
        treats: count,
        clientId,
        ...(text === '' ? {} : { note: text }),
      });
      setBalance(answer.balances.wallet);
      setOutcome({ kind: 'sent', treats: count });
    } catch (error) {
      // The wallet as the server counted it: the shortfall then shows under the amount.
      if (error instanceof ProtocolError && error.code === 'NOT_ENOUGH_TREATS') {
        const has = (error.details as { balance?: unknown } | undefined)?.balance;
        if (typeof has === 'number') {
          setBalance(has);
          return;
        }
      }
      setOutcome(outcomeOf(error));
    } finally {
      setSending(false);
    }
  };

  const failure = () => {
    const now = outcome();
    return now?.kind === 'failed' ? now.text : undefined;
  };
  const sent = () => {
    const now = outcome();
    return now?.kind === 'sent' ? now : undefined;
  };
  const wallet = () => {
    const has = balance();
    return t('tip.balance', { treats: has === undefined ? '…' : treats(has) });
  };

  const Form = () => (
    <form class="tip-form" onSubmit={send} novalidate>
      <p class="tip-balance" data-testid="tip-balance">
        <Coins size={18} aria-hidden="true" />
        <span>{wallet()}</span>
      </p>
      <fieldset class="tip-amount">
        <legend>{t('tip.amount')}</legend>
        <div class="tip-presets">
          <For each={TIP_PRESETS}>
            {(preset) => (
              <Button
                size="sm"
                variant={amount() === preset ? 'primary' : 'secondary'}
                aria-pressed={amount() === preset}
                aria-label={treats(preset)}
                onClick={() => setAmountText(String(preset))}
              >
                {formatNumber(preset)}
              </Button>
            )}
          </For>
        </div>
        <InputField
          id="tip-amount"
          label={t('tip.custom')}
          type="number"
          inputmode="numeric"
          min={1}
          max={TREAT_LIMITS.maxTip}
          step={1}
          value={amountText()}
          onInput={setAmountText}
          invalid={amountError() !== undefined}
          aria-describedby="tip-amount-error"
        />
        <FieldError id="tip-amount-error" text={amountError()} />
      </fieldset>
      <TextAreaField
        id="tip-note"
        label={t('tip.note')}
        value={note()}
        onInput={setNote}
        maxlength={TREAT_LIMITS.tipNoteChars}
        rows={2}
        describedBy="tip-note-count"
      />
      <small id="tip-note-count" class="hint counter">
        {t('composer.count', { count: formatNumber(note().length), max: formatNumber(TREAT_LIMITS.tipNoteChars) })}
      </small>
      <Show when={shortBy() > 0}>
        <div class="tip-short" role="status" data-testid="tip-short">
          <p>{t('tip.short', { count: shortBy() })}</p>
          <Button href="/wallet" size="sm" variant="secondary" icon={Coins} onClick={() => props.onClose()}>
            {t('wallet.buy')}
          </Button>
        </div>
      </Show>
      <ErrorAlert text={failure()} />
      <p class="hint">{t('tip.share', { name: name(), share })}</p>
      <Button type="submit" icon={HandCoins} disabled={sending() || shortBy() > 0} data-testid="tip-send">
        {sending() ? t('form.working') : amount() === undefined ? t('tip.action') : t('tip.send', { count: amount() ?? 0 })}
      </Button>
    </form>
  );

  return (
    <Dialog title={t('tip.to', { name: name() })} onClose={props.onClose} testId="tip-dialog">
      <Show when={outcome()?.kind === 'sent' || outcome()?.kind === 'gone'} fallback={<Form />}>
        <div class="tip-done">
          <Show
            when={sent()}
            fallback={
              <p role="alert" class="error" data-testid="tip-gone">
                {t('tip.gone')}
              </p>
            }
          >
            {(done) => (
              <div role="status" class="tip-sent" data-testid="tip-sent">
                <CircleCheck size={32} aria-hidden="true" />
                <p>{t('tip.sent', { name: name(), treats: treats(done().treats) })}</p>
                <p class="hint">{wallet()}</p>
              </div>
            )}
          </Show>
          <Button variant="secondary" onClick={() => props.onClose()}>
            {t('dialog.close')}
          </Button>
        </div>
      </Show>
    </Dialog>
  );
}
