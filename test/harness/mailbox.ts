// A real SMTP server (smtp-server) that keeps every mail it receives, parsed (mailparser), so
// tests read verification and reset links the way a user would: out of the mail.
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string | undefined;
}

export interface Mailbox {
  readonly url: string;
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Waits for a mail to `to` matching `match` (subject or text), and returns it. */
  waitFor(to: string, match?: RegExp, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

function toMail(parsed: ParsedMail): ReceivedMail {
  const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
  const language = parsed.headers.get('content-language');
  return {
    to: to?.value[0]?.address ?? '',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    language: typeof language === 'string' ? language : undefined,
  };
}

export async function startMailbox(options: { port?: number } = {}): Promise<Mailbox> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push(toMail(parsed));
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    async waitFor(to, match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.find((mail) => mail.to === to && (match === undefined || match.test(mail.subject) || match.test(mail.text)));
        if (found !== undefined) return found;
        if (Date.now() > deadline)
          throw new Error(
            `no mail to ${to} matching ${match} within ${timeoutMs} ms (have: ${mails.map((m) => `${m.to}: ${m.subject}`).join('; ')})`,
          );
        await Bun.sleep(25);
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The token of the first link in a mail whose path is `path` (e.g. /verify-email). */
export function linkToken(mail: ReceivedMail, path: string): string {
  const match = mail.text.match(new RegExp(`https?://[^\\s]+${path.replaceAll('/', '\\/')}\\?token=([A-Za-z0-9_-]+)`));
  if (match?.[1] === undefined) throw new Error(`no ${path} link in mail "${mail.subject}":\n${mail.text}`);
  return match[1];
}
