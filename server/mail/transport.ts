// Where mails go: an SMTP server through nodemailer when SMTP_URL is set, otherwise .eml files in
// DATA_DIR/mail (embedded mode), which any mail client opens, so a first-time user can still
// follow a verification link.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import { redactUrl } from '../platform/env.ts';

interface OutgoingMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'folder';
  readonly location: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

const toMessage = (mail: OutgoingMail) => ({
  from: mail.from,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  headers: { 'Content-Language': mail.language, 'X-PetAmigos-Mail-Id': mail.id },
});

export function createMailTransport(options: { smtpUrl: string | undefined; dataDir: string }): MailTransport {
  if (options.smtpUrl !== undefined) {
    const transporter = nodemailer.createTransport(options.smtpUrl);
    return {
      kind: 'smtp',
      location: redactUrl(options.smtpUrl),
      send: async (mail) => {
        await transporter.sendMail(toMessage(mail));
      },
      close: () => transporter.close(),
    };
  }
  const folder = resolve(options.dataDir, 'mail');
  const writer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'folder',
    location: folder,
    send: async (mail) => {
      const info = await writer.sendMail(toMessage(mail));
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `${mail.id}.eml`), info.message as Buffer);
    },
    close: () => writer.close(),
  };
}
