// Receipts: what a completed payment's buyer is given to keep. A payment has one once it was
// completed (captured with the amount asked for), whatever happened after (a refund, a
// chargeback: the receipt then shows what was given back). The same facts make the PDF
// (receipt-pdf.ts), downloaded by its owner, and the mail sent once when the payment completes
// (Settlement calls `completed` after its commit, only when it changed the payment).
import { and, eq } from 'drizzle-orm';
import { users } from '../accounts/schema.ts';
import { NotFoundError } from '../errors.ts';
import type { MailOutbox } from '../mail/outbox.ts';
import { profiles } from '../people/schema.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import { NoReceiptError } from './errors.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import { fillIn, RECEIPT_TEXTS, type ReceiptTexts, readerLocale, receiptLanguage, treatsText } from './receipt-texts.ts';
import { type PaymentStatus, payments, transactions } from './schema.ts';
import type { Row } from './settlement.ts';

/** The states of a payment that was completed at some point. */
const RECEIPTED: readonly PaymentStatus[] = ['completed', 'refunded', 'reversed'];
const METHOD_NAMES = { paypal: 'PayPal', mercadopago: 'Mercado Pago' } as const;

/** Everything a receipt says, worded and formatted for its reader. */
export interface Receipt {
  number: string;
  /** BCP 47: the language of the words, the locale of dates and amounts. */
  language: string;
  locale: string;
  texts: ReceiptTexts;
  datePaid: string;
  buyer: { name: string; email: string };
  seller: { name: string; address: string[] };
  item: string;
  method: string;
  amount: string;
  /** What was given back (refunds or a chargeback), when any was. */
  givenBack: { label: string; amount: string } | undefined;
}

export interface ReceiptsDeps {
  db: Database;
  outbox: MailOutbox;
  log: Logger;
  appUrl: string;
  seller: { sellerName: string; sellerAddress: string[] };
}

/**
 * A receipt's number, derived from the payment alone so it never changes: the day its id was
 * made (UUIDv7 time) and 40 random bits of the id. `PA-20261207-3F9A2C81D0`.
 */
export function receiptNumber(paymentId: string): string {
  const hex = paymentId.replaceAll('-', '');
  const day = new Date(Number.parseInt(hex.slice(0, 12), 16)).toISOString().slice(0, 10).replaceAll('-', '');
  return `PA-${day}-${hex.slice(-10).toUpperCase()}`;
}

export class Receipts {
  readonly #deps: ReceiptsDeps;

  constructor(deps: ReceiptsDeps) {
    this.#deps = deps;
  }

  /** The owner's receipt of a payment as a PDF; someone else's payment is NOT_FOUND, one never completed NO_RECEIPT. */
  async pdf(userId: string, paymentId: string): Promise<{ filename: string; bytes: Uint8Array<ArrayBuffer> }> {
    const [row] = await this.#deps.db
      .select()
      .from(payments)
      .where(and(eq(payments.id, paymentId), eq(payments.userId, userId)));
    if (row === undefined) throw new NotFoundError('payment');
    const receipt = await this.#receipt(row);
    if (receipt === undefined) throw new NoReceiptError(paymentId);
    return { filename: `petamigos-receipt-${receipt.number}.pdf`, bytes: await renderReceiptPdf(receipt) };
  }

  /**
   * The payment just completed: its receipt is mailed to the buyer (to a verified address only,
   * as every mail that is not about proving one). A failure here is logged, never thrown: the
   * payment is settled whatever becomes of its mail.
   */
  async completed(row: Row): Promise<void> {
    try {
      const receipt = await this.#receipt(row);
      if (receipt === undefined) return;
      const { texts } = receipt;
      const [user] = await this.#deps.db.select({ username: users.username }).from(users).where(eq(users.id, row.userId));
      const facts = [
        [texts.number, receipt.number],
        [texts.datePaid, receipt.datePaid],
        [texts.item, receipt.item],
        [texts.method, receipt.method],
        [texts.amount, receipt.amount],
        ...(receipt.givenBack === undefined ? [] : [[receipt.givenBack.label, receipt.givenBack.amount]]),
        [texts.seller, [receipt.seller.name, ...receipt.seller.address].join(', ')],
      ];
      await this.#deps.outbox.enqueue({
        to: receipt.buyer.email,
        template: 'receipt',
        language: receipt.language,
        params: {
          subject: fillIn(texts.subject, { number: receipt.number }),
          greeting: fillIn(texts.greeting, { username: user?.username ?? receipt.buyer.name }),
          intro: texts.intro,
          facts: facts.map(([label, value]) => `${label}: ${value}`).join('\n'),
          billing: texts.billing,
          link: `${this.#deps.appUrl}/billing`,
        },
      });
    } catch (error) {
      this.#deps.log.error(
        { err: error, paymentId: row.id },
        `receipts.completed() | receipt not mailed [payment:${row.id}] [error:${(error as Error).message}]`,
      );
    }
  }

  /** The receipt of a payment, or undefined when it has none (never completed). */
  async #receipt(row: Row): Promise<Receipt | undefined> {
    if (!RECEIPTED.includes(row.status)) return undefined;
    // Paid when it was captured; a payment refunded without ever completing (under review for
    // fraud) has no such line, and no receipt.
    const [captured] = await this.#deps.db
      .select({ at: transactions.createdAt })
      .from(transactions)
      .where(and(eq(transactions.paymentId, row.id), eq(transactions.type, 'captured')))
      .limit(1);
    if (captured === undefined) return undefined;
    const [buyer] = await this.#deps.db
      .select({
        email: users.email,
        username: users.username,
        language: users.language,
        displayName: profiles.displayName,
        locale: profiles.locale,
      })
      .from(users)
      .leftJoin(profiles, eq(profiles.userId, users.id))
      .where(eq(users.id, row.userId));
    if (buyer === undefined) return undefined;
    const language = receiptLanguage(buyer.language);
    const locale = readerLocale(language, buyer.locale);
    const texts = RECEIPT_TEXTS[language];
    const money = (minor: number) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency: row.currency, currencyDisplay: 'symbol' }).format(minor / 100);
    const item =
      row.plan === null ? treatsText(language, row.treats) : fillIn(texts.planMonth, { plan: texts.plans[row.plan] ?? row.plan });
    return {
      number: receiptNumber(row.id),
      language,
      locale,
      texts,
      datePaid: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' }).format(captured.at),
      buyer: { name: buyer.displayName || buyer.username, email: buyer.email },
      seller: { name: this.#deps.seller.sellerName, address: this.#deps.seller.sellerAddress },
      item,
      method: row.method === 'spei' ? texts.spei : METHOD_NAMES[row.method],
      amount: money(row.amountMinor),
      givenBack:
        row.refundedMinor === 0
          ? undefined
          : { label: row.status === 'reversed' ? texts.chargedBack : texts.refunded, amount: money(row.refundedMinor) },
    };
  }
}
