// The outbox against the real PostgreSQL and a real SMTP server: mail survives SMTP outages,
// two workers never send one mail twice, hopeless mail ends failed with its reason.
import { readdirSync, readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMailbox } from '../../test/harness/mailbox.ts';
import { createTempDir, openMigratedTestDatabase, uniqueName } from '../../test/harness/services.ts';
import { LANGUAGES } from '../i18n/languages.ts';
import type { DatabaseHandle } from '../platform/db/index.ts';
import { MailOutbox } from './outbox.ts';
import { mailOutbox } from './schema.ts';
import { MAIL_CATALOGUES, MAIL_TEMPLATES, renderMail } from './templates.ts';
import { createMailTransport } from './transport.ts';

const log = pino({ level: 'silent' });
const FROM = 'PetAmigos <no-reply@petamigos.test>';
const fast = { from: FROM, pollMs: 50, baseDelayMs: 100, maxDelayMs: 200, leaseMs: 5000 };

let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;
let handle: DatabaseHandle;
beforeAll(async () => {
  database = await openMigratedTestDatabase('outbox');
  handle = database.handle;
});
afterAll(async () => {
  await database.close();
});

const request = (to: string) => ({
  to,
  template: 'verify_email' as const,
  language: 'en',
  params: { username: 'luna', link: 'https://app.test/verify-email?token=abc' },
});

async function statusOf(id: string | undefined) {
  if (id === undefined) throw new Error('the mail was not queued');
  const [row] = await handle.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row;
}

describe('outbox', () => {
  test('outbox: a mail enqueued while SMTP is down is retried and delivered once SMTP is back', async () => {
    const mailbox = await startMailbox();
    const port = mailbox.port;
    await mailbox.close();
    const outbox = new MailOutbox(
      handle.db,
      createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, dataDir: '/nonexistent' }),
      log,
      fast,
    );
    const to = `${uniqueName('down')}@example.com`;
    const id = await outbox.enqueue(request(to));
    outbox.start();
    try {
      await expect.poll(async () => (await statusOf(id))?.attempts ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      const pending = await statusOf(id);
      expect(pending?.status).toBe('pending');
      expect(pending?.lastError).toMatch(/ECONNREFUSED|connect/i);
      const revived = await startMailbox({ port });
      try {
        const mail = await revived.waitFor(to, /Confirm your email/, 15_000);
        expect(mail.text).toContain('https://app.test/verify-email?token=abc');
        await expect.poll(async () => (await statusOf(id))?.status, { timeout: 5000 }).toBe('sent');
        // The link was needed to render the mail; the row keeps no trace of it once sent.
        expect((await statusOf(id))?.params).toEqual({});
        expect(JSON.stringify(await statusOf(id))).not.toContain('token=abc');
      } finally {
        await revived.close();
      }
    } finally {
      await outbox.stop();
    }
  });

  test('outbox: two workers deliver forty mails exactly once each', async () => {
    const mailbox = await startMailbox();
    const workers = [0, 1].map(
      () => new MailOutbox(handle.db, createMailTransport({ smtpUrl: mailbox.url, dataDir: '/nonexistent' }), log, fast),
    );
    const prefix = uniqueName('twice');
    const recipients = Array.from({ length: 40 }, (_, i) => `${prefix}-${i}@example.com`);
    try {
      for (const [index, to] of recipients.entries()) await workers[index % 2]?.enqueue(request(to));
      for (const worker of workers) worker.start();
      await expect.poll(() => mailbox.mails.filter((mail) => mail.to.startsWith(prefix)).length, { timeout: 20_000 }).toBe(40);
      await Bun.sleep(300);
      const delivered = mailbox.mails.filter((mail) => mail.to.startsWith(prefix)).map((mail) => mail.to);
      expect(delivered.sort()).toEqual([...recipients].sort());
    } finally {
      for (const worker of workers) await worker.stop();
      await mailbox.close();
    }
  });

  test('outbox: after the last attempt a mail is marked failed with its error', async () => {
    const outbox = new MailOutbox(handle.db, createMailTransport({ smtpUrl: 'smtp://127.0.0.1:1', dataDir: '/nonexistent' }), log, {
      ...fast,
      maxAttempts: 2,
    });
    const id = await outbox.enqueue(request(`${uniqueName('fail')}@example.com`));
    outbox.start();
    try {
      await expect.poll(async () => (await statusOf(id))?.status, { timeout: 10_000 }).toBe('failed');
      const row = await statusOf(id);
      expect(row?.attempts).toBe(2);
      expect(row?.lastError).toBeTruthy();
      expect(row?.params).toEqual({});
    } finally {
      await outbox.stop();
    }
  });

  test('outbox: without SMTP, mails are written as .eml files a mail client can open', async () => {
    const dir = createTempDir('mailfolder');
    const outbox = new MailOutbox(handle.db, createMailTransport({ smtpUrl: undefined, dataDir: dir.path }), log, fast);
    try {
      const id = await outbox.enqueue(request('folder@example.com'));
      outbox.start();
      await expect.poll(() => readdirSync(`${dir.path}/mail`, { withFileTypes: true }).length, { timeout: 5000 }).toBe(1);
      const eml = readFileSync(`${dir.path}/mail/${id}.eml`, 'utf8');
      expect(eml).toContain('To: folder@example.com');
      expect(eml).toContain('Subject: Confirm your email for PetAmigos');
    } finally {
      await outbox.stop();
      dir.remove();
    }
  });
});

describe('mail templates', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  test('templates: every catalogue has every template, with the same placeholders as English', () => {
    const english = MAIL_CATALOGUES.en;
    expect(english).toBeDefined();
    for (const [language, catalogue] of Object.entries(MAIL_CATALOGUES)) {
      if (catalogue === undefined) continue;
      expect(Object.keys(catalogue).sort(), language).toEqual([...MAIL_TEMPLATES].sort());
      for (const template of MAIL_TEMPLATES) {
        const ours = catalogue[template];
        const theirs = english?.[template];
        expect(placeholders(ours.lines.join(' ') + ours.subject), `${language}.${template}`).toEqual(
          placeholders((theirs?.lines.join(' ') ?? '') + theirs?.subject),
        );
      }
    }
  });

  test('templates: the catalogue covers the 20 languages, English and Spanish written, the rest falling back to English', () => {
    expect(Object.keys(MAIL_CATALOGUES).sort()).toEqual([...LANGUAGES].sort());
    expect(MAIL_CATALOGUES.es).toBeDefined();
    expect(renderMail('reset_password', 'ja', { username: 'x', link: 'https://a.test' }).subject).toBe('Reset your PetAmigos password');
  });

  test('templates: values are escaped in HTML, links become anchors', () => {
    const rendered = renderMail('verify_email', 'en', { username: '<b>Rex</b> & "Co"', link: 'https://app.test/verify-email?token=a&b=c' });
    expect(rendered.html).toContain('&lt;b&gt;Rex&lt;/b&gt; &amp; &quot;Co&quot;');
    expect(rendered.html).toContain('<a href="https://app.test/verify-email?token=a&amp;b=c">');
    expect(rendered.text).toContain('Hi <b>Rex</b> & "Co",');
  });

  test('templates: a missing placeholder value is an error, not a mail with a hole', () => {
    expect(() => renderMail('verify_email', 'en', { username: 'x' })).toThrow('{link}');
  });
});
