// Receipts on a real node: a completed payment's owner downloads its PDF in their language (read
// back with pdftotext), a pack or a month of a plan, with the amount formatted for their locale
// and what was refunded; nobody else gets it, and a payment never completed has none; the
// receipt is mailed once, when the payment completes, however often it is settled.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv, verifyEmail } from '../../test/harness/accounts.ts';
import { givePlan } from '../../test/harness/plans.ts';
import { join, type Member } from '../../test/harness/social.ts';
import { LANGUAGES } from '../i18n/languages.ts';
import { mailOutbox } from '../mail/schema.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import { fillIn, RECEIPT_TEXTS, treatsText } from './receipt-texts.ts';
import { receiptNumber } from './receipts.ts';
import { payments, transactions } from './schema.ts';

let env: AccountsEnv;
let admin: RegisteredUser;
let scratch: string;
const members: Member[] = [];
beforeAll(async () => {
  env = await startAccountsEnv('payments-receipts', {
    SPEI_CLABE_PREFIX: '6461801570',
    BILLING_SELLER_NAME: 'PetAmigos SA de CV',
    BILLING_SELLER_ADDRESS: 'Av. Paseo de la Reforma 222 | 06600 Ciudad de México',
  });
  admin = await env.register();
  await env.setRole(admin.id, 'admin');
  scratch = mkdtempSync(joinPath(tmpdir(), 'receipts-'));
});
afterAll(async () => {
  for (const member of members) member.close();
  await env.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A signed-in buyer speaking `language`, their address verified (receipts are mailed to verified addresses only). */
async function buyer(language: string): Promise<Member> {
  const user = await env.register({ language });
  await verifyEmail(env, user);
  const member = await join(env, env.node, user);
  members.push(member);
  return member;
}

const buySpei = (member: Member) => member.call('payments.checkout', { packId: 'treats_550', method: 'spei', currency: 'MXN' });
/** An admin confirms the SPEI transfer, as staff do from the bank account. */
const confirm = (paymentId: string, amountMinor = 9900) =>
  env.client().request<{ payment: { status: string } }>('POST', `/admin/payments/${paymentId}/spei`, {
    token: admin.tokens.accessToken,
    body: { amountMinor, trackingKey: `STP${Date.now()}` },
  });

async function download(member: Member, paymentId: string): Promise<Response> {
  return fetch(`${env.node.url}/payments/${paymentId}/receipt.pdf`, {
    headers: { authorization: `Bearer ${member.user.tokens.accessToken}` },
  });
}

/** The text of a PDF as pdftotext reads it (as a reader copying it would). */
async function textOf(bytes: Uint8Array): Promise<string> {
  const file = joinPath(scratch, `${crypto.randomUUID()}.pdf`);
  writeFileSync(file, bytes);
  const run = Bun.spawn(['pdftotext', '-enc', 'UTF-8', file, '-'], { stdout: 'pipe', stderr: 'pipe' });
  const [text, code] = await Promise.all([new Response(run.stdout).text(), run.exited]);
  if (code !== 0) throw new Error(`pdftotext failed: ${await new Response(run.stderr).text()}`);
  return text;
}

async function receiptText(member: Member, paymentId: string): Promise<string> {
  const response = await download(member, paymentId);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  expect(response.headers.get('content-disposition')).toBe(`attachment; filename="petamigos-receipt-${receiptNumber(paymentId)}.pdf"`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
  return textOf(bytes);
}

const receiptMails = async (email: string) =>
  env.node.platform.database.db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.template, 'receipt')));

describe('receipts', () => {
  test('receipts: the owner of a completed SPEI payment downloads its PDF in English (number, date, buyer, seller, pack, method, amount) and gets it by mail once, however often it is settled', async () => {
    const ana = await buyer('en');
    const payment = await buySpei(ana);
    expect((await confirm(payment.id)).body.payment.status).toBe('completed');
    const number = receiptNumber(payment.id);
    expect(number).toMatch(/^PA-\d{8}-[0-9A-F]{10}$/);
    const text = await receiptText(ana, payment.id);
    for (const expected of [
      'Receipt',
      number,
      'Date paid',
      ana.user.username,
      ana.user.email,
      'PetAmigos SA de CV',
      'Av. Paseo de la Reforma 222',
      '06600 Ciudad de México',
      '550 treats',
      'Bank transfer (SPEI)',
      'MX$99.00',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('Refunded');
    // The same receipt downloads again the same.
    expect(await receiptText(ana, payment.id)).toBe(text);

    const mail = await env.mailbox.waitFor(ana.user.email, /receipt/);
    expect(mail.subject).toBe(`Your PetAmigos receipt ${number}`);
    expect(mail.text).toContain(`Hi ${ana.user.username},`);
    expect(mail.text).toContain('Description: 550 treats');
    expect(mail.text).toContain('Amount paid: MX$99.00');
    expect(mail.text).toContain('http://app.petamigos.test/billing');
    expect(mail.html).toContain('<a href="http://app.petamigos.test/billing">');

    // Confirmed a second time (a retry, a second admin): nothing changes, nothing is mailed again.
    expect((await confirm(payment.id)).body.payment.status).toBe('completed');
    await env.node.accounts.outbox.deliverDue();
    expect(await receiptMails(ana.user.email)).toHaveLength(1);
    expect(env.mailbox.mails.filter((each) => each.to === ana.user.email && /receipt/.test(each.subject))).toHaveLength(1);
  });

  test('receipts: in Spanish, a month of a plan with its amount in pesos as the locale writes them, and a partial refund shown', async () => {
    const bruno = await buyer('es');
    const subscriptionId = await givePlan(env.node.platform.database.db, bruno.id, 'premium');
    const settlement = env.node.payments.settlement;
    const opened = await settlement.open({
      id: Bun.randomUUIDv7(),
      userId: bruno.id,
      method: 'mercadopago',
      status: 'created',
      amountMinor: 19900,
      currency: 'MXN',
      plan: 'premium',
      subscriptionId,
      treats: 0,
    });
    // Completed as the subscriptions' settlement will (a plan's period credits no treats, which
    // Settlement.settle does not do yet): the row and its `captured` audit line, then the hook.
    const db = env.node.platform.database.db;
    const [completed] = await db
      .update(payments)
      .set({ status: 'completed', captureId: 'mp-1', updatedAt: new Date() })
      .where(eq(payments.id, opened.id))
      .returning();
    await db.insert(transactions).values({
      paymentId: opened.id,
      userId: bruno.id,
      type: 'captured',
      fromStatus: 'created',
      toStatus: 'completed',
      amountMinor: 19900,
      currency: 'MXN',
      source: 'webhook',
    });
    await env.node.payments.receipts.completed(completed as typeof payments.$inferSelect);
    const mail = await env.mailbox.waitFor(bruno.user.email, /recibo/);
    expect(mail.subject).toBe(`Tu recibo de PetAmigos ${receiptNumber(opened.id)}`);
    expect(mail.text).toContain('Descripción: Plan Premium, un mes');
    expect(mail.text).toContain('Método de pago: Mercado Pago');

    await settlement.giveBack(opened.id, {
      refundId: 'r-1',
      refundMinor: 5000,
      totalMinor: 5000,
      currency: 'MXN',
      reversed: false,
      source: 'webhook',
      webhook: undefined,
    });
    const text = await receiptText(bruno, opened.id);
    const pesos = (minor: number) => new Intl.NumberFormat('es', { style: 'currency', currency: 'MXN' }).format(minor / 100);
    // Spanish writes the amount first, a decimal comma, and the code after a no-break space.
    expect(pesos(19900)).toBe('199,00\u00a0MXN');
    // pdftotext reads the no-break space back as a space.
    const spaced = (value: string) => value.replaceAll('\u00a0', ' ');
    for (const expected of ['Recibo', 'Número de recibo', 'Plan Premium, un mes', 'Mercado Pago', 'Importe pagado', 'Reembolsado'])
      expect(text).toContain(expected);
    expect(text).toContain(spaced(pesos(19900)));
    expect(text).toContain(spaced(pesos(5000)));
  });

  test('receipts: in Japanese, a pack paid in dollars through PayPal, set in a font that has the script', async () => {
    const chika = await buyer('ja');
    const settlement = env.node.payments.settlement;
    const opened = await settlement.open({
      id: Bun.randomUUIDv7(),
      userId: chika.id,
      method: 'paypal',
      status: 'created',
      amountMinor: 499,
      currency: 'USD',
      packId: 'treats_550',
      treats: 550,
    });
    await settlement.settle(opened.id, { captureId: 'cap-1', status: 'COMPLETED', amountMinor: 499, currency: 'USD' }, 'api');
    const text = await receiptText(chika, opened.id);
    for (const expected of [
      '領収書',
      '領収書番号',
      'お支払い日',
      'おやつ 550 個',
      'PayPal',
      'お支払い金額',
      '$4.99',
      'ご購入ありがとうございます。',
    ])
      expect(text).toContain(expected);
    const mail = await env.mailbox.waitFor(chika.user.email, /領収書/);
    expect(mail.text).toContain('内容: おやつ 550 個');
  });

  test('receipts: another person’s payment is NOT_FOUND like an unknown one; a payment waiting, or suspected of fraud, has NO_RECEIPT and mails none', async () => {
    const dora = await buyer('en');
    const eve = await buyer('en');
    const paid = await buySpei(dora);
    await confirm(paid.id);
    for (const id of [paid.id, crypto.randomUUID()]) {
      const refused = await download(eve, id);
      expect(refused.status).toBe(404);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    const waiting = await buySpei(dora);
    const short = await buySpei(dora);
    expect((await confirm(short.id, 990)).body.payment.status).toBe('fraud_suspected');
    for (const id of [waiting.id, short.id]) {
      const refused = await download(dora, id);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NO_RECEIPT');
    }
    const anonymous = await fetch(`${env.node.url}/payments/${paid.id}/receipt.pdf`);
    expect(anonymous.status).toBe(401);
    await env.mailbox.waitFor(dora.user.email, /receipt/);
    await env.node.accounts.outbox.deliverDue();
    expect(await receiptMails(dora.user.email)).toHaveLength(1);
  });
});

describe('receipts in every language', () => {
  test.each(LANGUAGES.filter((language) => language !== 'en'))(
    'receipts (%s): its own words, not English ones, and a PDF whose words read back',
    async (language) => {
      const texts = RECEIPT_TEXTS[language];
      const english = RECEIPT_TEXTS.en;
      for (const key of ['title', 'number', 'datePaid', 'amount', 'refunded', 'thanks', 'subject', 'intro', 'billing'] as const)
        expect(texts[key], key).not.toBe(english[key]);
      expect(fillIn(texts.planMonth, { plan: texts.plans.pro })).toContain(texts.plans.pro);
      const number = receiptNumber(Bun.randomUUIDv7());
      const bytes = await renderReceiptPdf({
        number,
        language,
        locale: language,
        texts,
        datePaid: new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date()),
        buyer: { name: 'Ana Pérez', email: 'ana@example.com' },
        seller: { name: 'PetAmigos', address: [] },
        item: treatsText(language, 550),
        method: texts.spei,
        amount: new Intl.NumberFormat(language, { style: 'currency', currency: 'USD' }).format(4.99),
        givenBack: undefined,
      });
      const text = await textOf(bytes);
      expect(text).toContain(number);
      expect(text).toContain('ana@example.com');
      // Scripts whose glyphs are reordered or joined (Arabic, Indic, Thai) do not read back letter for letter.
      if (!['ar', 'ur', 'hi', 'bn', 'th'].includes(language)) {
        expect(text).toContain(texts.title);
        expect(text).toContain(texts.amount);
      }
    },
  );
});
