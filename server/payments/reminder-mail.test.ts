// SPEI renewal reminders by mail on a real node: the daily round before a SPEI period ends mails
// the subscriber the next month's instructions (plan, renewal date, amount, beneficiary, bank, the
// new CLABE grouped and unbroken, the reference, the expiry, the billing link) once, in their
// language and locale; an address never verified gets none while the instructions are made all
// the same; a mail that cannot be queued is logged, not thrown.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv, verifyEmail } from '../../test/harness/accounts.ts';
import { join, type Member } from '../../test/harness/social.ts';
import { LANGUAGES } from '../i18n/languages.ts';
import type { MailOutbox } from '../mail/outbox.ts';
import { mailOutbox } from '../mail/schema.ts';
import type { Logger } from '../platform/log.ts';
import { groupedClabe } from './clabe.ts';
import { ReminderMail } from './reminder-mail.ts';
import { REMINDER_TEXTS } from './reminder-texts.ts';
import { payments, subscriptions } from './schema.ts';

let env: AccountsEnv;
let admin: RegisteredUser;
const members: Member[] = [];
beforeAll(async () => {
  env = await startAccountsEnv('payments-reminders', {
    SPEI_CLABE_PREFIX: '6461801570',
    SPEI_BENEFICIARY: 'PetAmigos SA de CV',
    SPEI_BANK_NAME: 'STP',
  });
  admin = await env.register();
  await env.setRole(admin.id, 'admin');
});
afterAll(async () => {
  for (const member of members) member.close();
  await env.close();
});

const db = () => env.node.platform.database.db;
const renewals = () => env.node.payments.renewals;

/** A signed-in subscriber speaking `language`; `verified`: their address proven (reminders go to verified addresses only). */
async function subscriber(language: string, verified = true): Promise<Member> {
  const user = await env.register({ language });
  if (verified) await verifyEmail(env, user);
  const member = await join(env, env.node, user);
  members.push(member);
  return member;
}

/** A live SPEI subscription: checkout, the first transfer confirmed by an admin, its period then ending in 4 days. */
async function subscribeBySpei(member: Member, plan: 'basic' | 'premium' | 'pro', amountMinor: number) {
  const { subscription, payment } = await member.call('subscriptions.checkout', { plan, method: 'spei', currency: 'MXN' });
  const confirmed = await env.client().request<{ payment: { status: string } }>('POST', `/admin/payments/${payment?.id}/spei`, {
    token: admin.tokens.accessToken,
    body: { amountMinor, trackingKey: `STP${Date.now()}` },
  });
  expect(confirmed.body.payment.status).toBe('completed');
  const [ending] = await db()
    .update(subscriptions)
    .set({ currentPeriodEnd: sql`now() + interval '4 days'` })
    .where(eq(subscriptions.id, subscription.id))
    .returning();
  return { subscription, first: payment, periodEnd: ending?.currentPeriodEnd as Date };
}

/** The next month's payment the reminder opened. */
async function reminderPayment(subscriptionId: string, firstId: string | undefined) {
  const opened = await db()
    .select()
    .from(payments)
    .where(and(eq(payments.subscriptionId, subscriptionId), eq(payments.status, 'created')));
  expect(opened).toHaveLength(1);
  const [payment] = opened;
  expect(payment?.id).not.toBe(firstId);
  return payment as typeof payments.$inferSelect;
}

/** How the mail writes when its instructions stop standing, in the subscriber's zone. */
const EXPIRY: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

const remindersTo = async (email: string) =>
  db()
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.template, 'spei_reminder')));

describe('SPEI reminder mail', () => {
  test('reminder mail: the round before a SPEI period ends mails the next month’s instructions in English (plan, renewal date, amount, beneficiary, bank, the new CLABE grouped and unbroken, reference, expiry, billing link), and a second round mails nothing more', async () => {
    const ana = await subscriber('en');
    const { subscription, first, periodEnd } = await subscribeBySpei(ana, 'pro', 39900);
    expect((await renewals().round()).reminded).toBeGreaterThanOrEqual(1);
    const next = await reminderPayment(subscription.id, first?.id);
    const clabe = next.speiClabe as string;
    expect(clabe).not.toBe(first?.spei?.clabe);
    const reference = String(next.speiReference).padStart(7, '0');
    expect(clabe.slice(10, 17)).toBe(reference);

    const renews = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(periodEnd);
    const mail = await env.mailbox.waitFor(ana.user.email, /renews on/);
    expect(mail.subject).toBe(`Your PetAmigos Pro plan renews on ${renews}`);
    expect(mail.language).toBe('en');
    for (const expected of [
      `Hi ${ana.user.username},`,
      `Your Pro plan renews on ${renews}.`,
      'Description: Pro plan, one month',
      'Amount: MX$399.00',
      'Payment method: Bank transfer (SPEI)',
      'Beneficiary: PetAmigos SA de CV',
      'Bank: STP',
      `CLABE: ${groupedClabe(clabe)}`,
      `Reference: ${reference}`,
      `The CLABE without spaces, to paste into your bank’s app: ${clabe}`,
      'http://app.petamigos.test/billing',
    ])
      expect(mail.text).toContain(expected);
    expect(groupedClabe(clabe)).toMatch(/^646 180 1570 \d{7} \d$/);
    const expires = new Intl.DateTimeFormat('en', { ...EXPIRY, timeZone: 'UTC' }).format(next.expiresAt as Date);
    expect(mail.text).toContain(`Pay before ${expires}.`);
    expect(mail.html).toContain('<a href="http://app.petamigos.test/billing">');

    expect(await renewals().round()).toMatchObject({ reminded: 0 });
    expect(await remindersTo(ana.user.email)).toHaveLength(1);
    await reminderPayment(subscription.id, first?.id);
  });

  test('reminder mail: in Spanish for a subscriber in Mexico, the date in their zone and the amount in pesos as es-MX writes them', async () => {
    const bruno = await subscriber('es');
    await bruno.call('profile.update', { locale: 'es-MX', timezone: 'America/Mexico_City' });
    const { subscription, first, periodEnd } = await subscribeBySpei(bruno, 'premium', 19900);
    await renewals().round();
    const next = await reminderPayment(subscription.id, first?.id);
    const clabe = next.speiClabe as string;

    const renews = new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeZone: 'America/Mexico_City' }).format(periodEnd);
    const mail = await env.mailbox.waitFor(bruno.user.email, /se renueva/);
    expect(mail.subject).toBe(`Tu plan Premium de PetAmigos se renueva el ${renews}`);
    expect(mail.language).toBe('es');
    for (const expected of [
      `Hola ${bruno.user.username}:`,
      `Tu plan Premium se renueva el ${renews}.`,
      'Descripción: Plan Premium, un mes',
      'Monto: $199.00',
      'Método de pago: Transferencia bancaria (SPEI)',
      'Beneficiario: PetAmigos SA de CV',
      'Banco: STP',
      `CLABE: ${groupedClabe(clabe)}`,
      `Referencia: ${String(next.speiReference).padStart(7, '0')}`,
      `La CLABE sin espacios, para pegarla en la app de tu banco: ${clabe}`,
      'Consulta este pago y tu plan en tu historial de facturación:',
    ])
      expect(mail.text).toContain(expected);
    const expires = new Intl.DateTimeFormat('es-MX', { ...EXPIRY, timeZone: 'America/Mexico_City' }).format(next.expiresAt as Date);
    expect(mail.text).toContain(`Paga antes del ${expires}.`);
    expect(await remindersTo(bruno.user.email)).toHaveLength(1);
  });

  test('reminder mail: an address never verified gets no reminder, and the next month’s instructions are made all the same', async () => {
    const carla = await subscriber('en', false);
    const { subscription, first } = await subscribeBySpei(carla, 'basic', 9900);
    await renewals().round();
    await reminderPayment(subscription.id, first?.id);
    expect(await remindersTo(carla.user.email)).toHaveLength(0);
  });

  test('reminder mail: a mail that cannot be queued is logged, never thrown', async () => {
    const dora = await subscriber('en');
    const { subscription } = await subscribeBySpei(dora, 'basic', 9900);
    const [row] = await db().select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    const [payment] = await db().select().from(payments).where(eq(payments.subscriptionId, subscription.id));
    const logged: string[] = [];
    const mailer = new ReminderMail({
      db: db(),
      outbox: {
        enqueue: () => Promise.reject(new Error('outbox down')),
      } as unknown as MailOutbox,
      log: { error: (_context: unknown, line: string) => logged.push(line) } as unknown as Logger,
      appUrl: 'http://app.petamigos.test',
      spei: { beneficiary: 'PetAmigos SA de CV', bankName: 'STP' },
    });
    await expect(mailer.send(row as typeof subscriptions.$inferSelect, payment as typeof payments.$inferSelect)).resolves.toBeUndefined();
    expect(logged).toEqual([
      `reminderMail.send() | reminder not mailed [subscription:${subscription.id}] [payment:${payment?.id}] [error:outbox down]`,
    ]);
  });
});

describe('SPEI reminder texts in every language', () => {
  test.each(LANGUAGES.filter((language) => language !== 'en'))('reminder texts (%s): translated, with every placeholder', (language) => {
    const texts = REMINDER_TEXTS[language];
    const en = REMINDER_TEXTS.en;
    for (const key of ['subject', 'intro'] as const) {
      expect(texts[key]).toContain('{plan}');
      expect(texts[key]).toContain('{date}');
    }
    expect(texts.copy).toContain('{clabe}');
    expect(texts.expires).toContain('{date}');
    for (const key of ['subject', 'intro', 'copy', 'expires', 'billing', 'reference', 'beneficiary'] as const)
      expect(texts[key], key).not.toBe(en[key]);
    for (const value of Object.values(texts)) expect(value.trim()).not.toBe('');
  });
});
