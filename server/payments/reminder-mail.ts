// The SPEI renewal reminder by mail. Nobody charges a SPEI subscription: each month is a transfer
// the subscriber makes by hand, so before a period ends the daily job opens the next month's
// payment with its own CLABE and reference (Subscriptions.remind), and this mails those
// instructions to the subscriber, in their language, to a verified address only (outbox.ts).
// Sent once per period because `remind` claims the period before it opens the payment.
import { eq } from 'drizzle-orm';
import { users } from '../accounts/schema.ts';
import type { MailOutbox } from '../mail/outbox.ts';
import { profiles } from '../people/schema.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import { groupedClabe } from './clabe.ts';
import type { SubscriptionRow } from './periods.ts';
import { fillIn, RECEIPT_TEXTS, readerLocale, receiptLanguage } from './receipt-texts.ts';
import { REMINDER_TEXTS } from './reminder-texts.ts';
import type { Row } from './settlement.ts';

export interface ReminderMailDeps {
  db: Database;
  outbox: MailOutbox;
  log: Logger;
  appUrl: string;
  /** What the instructions name besides the payment's own CLABE and reference (config, as Settlement's). */
  spei: { beneficiary: string; bankName: string };
}

export class ReminderMail {
  readonly #deps: ReminderMailDeps;

  constructor(deps: ReminderMailDeps) {
    this.#deps = deps;
  }

  /**
   * Mails the next month's transfer instructions (`payment`, just opened) of a SPEI subscription.
   * A failure is logged, never thrown: the payment is open and shown in the app whatever becomes
   * of its mail.
   */
  async send(subscription: SubscriptionRow, payment: Row): Promise<void> {
    try {
      const { speiClabe, speiReference, expiresAt } = payment;
      if (speiClabe === null || speiReference === null || expiresAt === null || subscription.currentPeriodEnd === null)
        throw new Error('not a SPEI payment of a live period');
      const [buyer] = await this.#deps.db
        .select({
          email: users.email,
          username: users.username,
          language: users.language,
          locale: profiles.locale,
          timezone: profiles.timezone,
        })
        .from(users)
        .leftJoin(profiles, eq(profiles.userId, users.id))
        .where(eq(users.id, subscription.userId));
      if (buyer === undefined) throw new Error('no such user');
      const language = receiptLanguage(buyer.language);
      const locale = readerLocale(language, buyer.locale);
      // The subscriber's own day and hour: a period ending at 00:00 UTC ends the evening before in Mexico.
      const timeZone = buyer.timezone ?? 'UTC';
      const receipt = RECEIPT_TEXTS[language];
      const texts = REMINDER_TEXTS[language];
      const plan = receipt.plans[subscription.plan];
      const renews = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(subscription.currentPeriodEnd);
      const expires = new Intl.DateTimeFormat(locale, {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone,
        timeZoneName: 'short',
      }).format(expiresAt);
      const amount = new Intl.NumberFormat(locale, { style: 'currency', currency: payment.currency, currencyDisplay: 'symbol' }).format(
        payment.amountMinor / 100,
      );
      const facts = [
        [receipt.item, fillIn(receipt.planMonth, { plan })],
        [texts.amount, amount],
        [receipt.method, receipt.spei],
        [texts.beneficiary, this.#deps.spei.beneficiary],
        [texts.bank, this.#deps.spei.bankName],
        ['CLABE', groupedClabe(speiClabe)],
        [texts.reference, String(speiReference).padStart(7, '0')],
      ];
      await this.#deps.outbox.enqueue({
        to: buyer.email,
        template: 'spei_reminder',
        language,
        params: {
          subject: fillIn(texts.subject, { plan, date: renews }),
          greeting: fillIn(receipt.greeting, { username: buyer.username }),
          intro: fillIn(texts.intro, { plan, date: renews }),
          facts: facts.map(([label, value]) => `${label}: ${value}`).join('\n'),
          copy: fillIn(texts.copy, { clabe: speiClabe }),
          expires: fillIn(texts.expires, { date: expires }),
          billing: texts.billing,
          link: `${this.#deps.appUrl}/billing`,
        },
      });
    } catch (error) {
      this.#deps.log.error(
        { err: error, subscriptionId: subscription.id, paymentId: payment.id },
        `reminderMail.send() | reminder not mailed [subscription:${subscription.id}] [payment:${payment.id}] [error:${(error as Error).message}]`,
      );
    }
  }
}
