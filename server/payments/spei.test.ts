// SPEI on a real node: every payment gets its own valid CLABE and numeric reference; a transfer is
// confirmed by the provider's signed webhook (Openpay / Conekta style) or by an admin, settling the
// payment once with its amount checked; forged, replayed and misdirected notices change nothing;
// and a normal account cannot reach the staff endpoints.
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from '../../test/harness/accounts.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { clabeFor, isClabe } from './clabe.ts';

const SECRET = 'spei-test-webhook-secret';
const PREFIX = '6461801570';
let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
let admin: RegisteredUser;
beforeAll(async () => {
  env = await startAccountsEnv('payments-spei', {
    SPEI_CLABE_PREFIX: PREFIX,
    SPEI_WEBHOOK_SECRET: SECRET,
    SPEI_BENEFICIARY: 'PetAmigos SA de CV',
  });
  pool = memberPool(env);
  admin = await env.register();
  await env.setRole(admin.id, 'admin');
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const buy = (member: Member) => member.call('payments.checkout', { packId: 'treats_550', method: 'spei', currency: 'MXN' });
/** The provider's notice of a transfer, signed with `secret`. */
const notice = async (body: Record<string, unknown>, secret = SECRET) => {
  const raw = JSON.stringify(body);
  const answer = await fetch(`${env.node.url}/webhooks/spei`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
    body: raw,
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};
const received = (clabe: string, amount: string, id = `evt_${crypto.randomUUID()}`) =>
  notice({ id, type: 'spei.received', data: { clabe, amount, currency: 'MXN', tracking_key: `STP${Date.now()}` } });

describe('payments by SPEI', () => {
  test('payments (spei): each payment gets its own valid CLABE and 7-digit reference, MXN only, with the beneficiary, bank and expiry', async () => {
    const ana = await pool.member();
    expect((await ana.call('payments.options', {})).methods).toEqual(['spei']);
    const [first, second] = [await buy(ana), await buy(ana)];
    for (const payment of [first, second]) {
      expect(payment).toMatchObject({ method: 'spei', status: 'created', amountMinor: 9900, currency: 'MXN', approveUrl: null });
      expect(payment.spei).toMatchObject({ beneficiary: 'PetAmigos SA de CV', bank: 'STP' });
      expect(isClabe(payment.spei?.clabe ?? '')).toBe(true);
      expect(payment.spei?.clabe.startsWith('6461801570')).toBe(true);
      expect(payment.spei?.clabe.slice(10, 17)).toBe(payment.spei?.reference);
      const hours = (Date.parse(payment.spei?.expiresAt ?? '') - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(71);
      expect(hours).toBeLessThanOrEqual(72);
    }
    expect(first.spei?.clabe).not.toBe(second.spei?.clabe);
    expect(await ana.refused('payments.checkout', { packId: 'treats_550', method: 'spei', currency: 'USD' })).toMatchObject({
      code: 'INVALID_INPUT',
      details: { field: 'currency' },
    });
  });

  test('payments (spei): references come round after 9,999,999; one held by a payment still waiting or issued within a year is skipped, an older one is issued again, and a transfer to that CLABE pays the new payment', async () => {
    const bea = await pool.member();
    const [first, second] = [await buy(bea), await buy(bea)];
    // They hold references 1 and 2; the first lapsed over a year ago, so its reference may be issued again.
    const db = env.node.platform.database.db;
    for (const [payment, reference] of [
      [first, 1],
      [second, 2],
    ] as const)
      await db.execute(
        sql`update payments set spei_reference = ${reference}, spei_clabe = ${clabeFor(PREFIX, reference)} where id = ${payment.id}`,
      );
    await db.execute(sql`update payments set created_at = now() - interval '400 days', status = 'failed' where spei_reference = 1`);
    await db.execute(sql`select setval('spei_references', 9999999)`);
    const reused = await buy(bea);
    expect(reused.spei?.reference).toBe('0000001');
    expect(isClabe(reused.spei?.clabe ?? '')).toBe(true);
    // Reference 2 belongs to a payment made a moment ago: skipped, like every recent one.
    const next = await buy(bea);
    const recent = rowsOf<{ reference: number }>(
      await db.execute(
        sql`select spei_reference as reference from payments where spei_reference is not null and id <> ${next.id} and created_at > now() - interval '365 days'`,
      ),
    ).map((row) => row.reference);
    expect(recent).toContain(2);
    expect(recent).not.toContain(Number(next.spei?.reference));
    expect(Number(next.spei?.reference)).toBeGreaterThan(2);
    expect(next.spei?.clabe).not.toBe(clabeFor(PREFIX, 2));

    expect((await received(reused.spei?.clabe as string, '99.00')).body).toEqual({ outcome: 'handled' });
    expect((await bea.call('payments.get', { paymentId: reused.id })).status).toBe('completed');
    const [old] = rowsOf<{ status: string }>(
      await env.node.platform.database.db.execute(sql`select status from payments where spei_reference = 1 and id <> ${reused.id}`),
    );
    expect(old?.status).toBe('failed');
  });

  test('payments (spei): the provider’s signed notice completes the payment once; a replay, a forged signature and a transfer to no CLABE of ours change nothing; a short amount is FRAUD_SUSPECTED', async () => {
    const bruno = await pool.member();
    const payment = await buy(bruno);
    const clabe = payment.spei?.clabe as string;
    expect(
      (await notice({ id: 'evt_forged', type: 'spei.received', data: { clabe, amount: '99.00', currency: 'MXN' } }, 'not-the-secret'))
        .status,
    ).toBe(400);
    expect((await bruno.call('payments.get', { paymentId: payment.id })).status).toBe('created');
    const id = `evt_${crypto.randomUUID()}`;
    expect((await received(clabe, '99.00', id)).body).toEqual({ outcome: 'handled' });
    expect((await received(clabe, '99.00', id)).body).toEqual({ outcome: 'duplicate' });
    expect((await received(clabe, '99.00')).body).toEqual({ outcome: 'handled' });
    expect(await bruno.call('payments.get', { paymentId: payment.id })).toMatchObject({ status: 'completed', spei: null });
    expect(await bruno.call('treats.balance', {})).toEqual({ wallet: 550, earned: 0 });
    expect((await received('646180157099999995', '99.00')).body).toEqual({ outcome: 'ignored' });

    const short = await buy(bruno);
    await received(short.spei?.clabe as string, '9.90');
    expect((await bruno.call('payments.get', { paymentId: short.id })).status).toBe('fraud_suspected');
    expect(await bruno.call('treats.balance', {})).toEqual({ wallet: 550, earned: 0 });
  });

  test('payments (spei): instructions past their expiry are failed as lapsed by the reconciliation round; a transfer that still comes completes the payment', async () => {
    const dora = await pool.member();
    const payment = await buy(dora);
    const reconciler = env.node.payments.reconciler;
    await reconciler.round(undefined, Date.now() + 2 * 3_600_000);
    expect((await dora.call('payments.get', { paymentId: payment.id })).status).toBe('created');
    await reconciler.round(undefined, Date.now() + 73 * 3_600_000);
    expect(await dora.call('payments.get', { paymentId: payment.id })).toMatchObject({ status: 'failed', spei: null });
    expect((await received(payment.spei?.clabe as string, '99.00')).body).toEqual({ outcome: 'handled' });
    expect((await dora.call('payments.get', { paymentId: payment.id })).status).toBe('completed');
    expect(await dora.call('treats.balance', {})).toEqual({ wallet: 550, earned: 0 });
  });

  test('payments (spei): an admin confirms a transfer seen in the account (audited with who); a normal account gets FORBIDDEN on every staff endpoint', async () => {
    const carla = await pool.member();
    const payment = await buy(carla);
    const asCarla = { token: carla.user.tokens.accessToken };
    const asAdmin = { token: admin.tokens.accessToken };
    const queue = await env
      .client()
      .request<{ items: { id: string; userId: string; username: string }[] }>('GET', '/admin/payments?method=spei&status=created', asAdmin);
    expect(queue.status).toBe(200);
    // Each with its payer's username (the staff screens show people by name).
    expect(queue.body.items).toContainEqual(expect.objectContaining({ id: payment.id, userId: carla.id, username: carla.user.username }));
    for (const [method, path, body] of [
      ['GET', '/admin/payments', undefined],
      ['POST', `/admin/payments/${payment.id}/spei`, { amountMinor: 9900, trackingKey: 'ABC123' }],
    ] as const) {
      const refused = await env
        .client()
        .request<{ error: { code: string } }>(method, path, { ...asCarla, ...(body === undefined ? {} : { body }) });
      expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await carla.call('payments.get', { paymentId: payment.id })).status).toBe('created');
    const extra = await env.client().request('POST', `/admin/payments/${payment.id}/spei`, {
      ...asAdmin,
      body: { amountMinor: 9900, trackingKey: 'ABC123', status: 'completed' },
    });
    expect(extra.status).toBe(400);
    const confirmed = await env.client().request<{ payment: { status: string } }>('POST', `/admin/payments/${payment.id}/spei`, {
      ...asAdmin,
      body: { amountMinor: 9900, trackingKey: 'STP2026120700001' },
    });
    expect([confirmed.status, confirmed.body.payment.status]).toEqual([200, 'completed']);
    const again = await env.client().request<{ payment: { status: string } }>('POST', `/admin/payments/${payment.id}/spei`, {
      ...asAdmin,
      body: { amountMinor: 9900, trackingKey: 'STP2026120700001' },
    });
    expect(again.body.payment.status).toBe('completed');
    expect(await carla.call('treats.balance', {})).toEqual({ wallet: 550, earned: 0 });
    const trail = rowsOf<{ type: string; source: string; detail: { confirmedBy?: string } }>(
      await env.node.platform.database.db.execute(
        sql`select type, source, detail from transactions where payment_id = ${payment.id} order by id`,
      ),
    );
    expect(trail.map((row) => [row.type, row.source])).toEqual([
      ['created', 'api'],
      ['captured', 'admin'],
    ]);
    expect(trail[1]?.detail.confirmedBy).toBe(admin.id);
    const notSpei = await env.client().request<{ error: { code: string } }>('POST', `/admin/payments/${crypto.randomUUID()}/spei`, {
      ...asAdmin,
      body: { amountMinor: 9900, trackingKey: 'X1' },
    });
    expect(notSpei.status).toBe(404);
  });
});
