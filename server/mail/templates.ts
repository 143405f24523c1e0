// Account mails by template and language. Each catalogue holds, per template, a subject and the
// lines of the body with {placeholders}; the text part is the lines, the HTML part the same lines
// escaped, with the link made clickable. A language without a catalogue falls back to English.
import { LANGUAGES, type Language } from '../i18n/languages.ts';
import { en } from './messages/en.ts';
import { es } from './messages/es.ts';

export const MAIL_TEMPLATES = [
  'verify_email',
  'reset_password',
  'password_changed',
  'account_locked',
  'notification',
  'notification_digest',
  'receipt',
  'spei_reminder',
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/**
 * The mails that may go to an address nobody has proven yet: the one that proves it, and the
 * password reset, which must reach the address of the account being recovered (following its
 * link proves the address; the forgot-password limits keep it from being a flood). Every other
 * template is only sent to the verified address of an account (outbox.ts).
 */
export const UNVERIFIED_TEMPLATES: readonly MailTemplate[] = ['verify_email', 'reset_password'];

export type MailMessages = Record<MailTemplate, { subject: string; lines: string[] }>;

/** Catalogues by language; the 18 languages without one yet are listed so the gap is explicit. */
export const MAIL_CATALOGUES: Record<Language, MailMessages | undefined> = {
  ...(Object.fromEntries(LANGUAGES.map((language) => [language, undefined])) as Record<Language, undefined>),
  en,
  es,
};

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function fill(line: string, params: Record<string, string>, encode: (value: string) => string): string {
  return line.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`mail template placeholder {${name}} has no value`);
    return encode(value);
  });
}

export function renderMail(template: MailTemplate, language: string, params: Record<string, string>): RenderedMail {
  const messages = MAIL_CATALOGUES[language as Language] ?? en;
  const { subject, lines } = messages[template];
  const text = `${lines.map((line) => fill(line, params, (value) => value)).join('\n\n')}\n\n— PetAmigos\n`;
  const htmlLines = lines.map(
    (line) =>
      `<p>${fill(line, params, (value) => {
        const escaped = escapeHtml(value);
        // A value of several lines (a digest's list) keeps its lines.
        return /^https?:\/\//.test(value) ? `<a href="${escaped}">${escaped}</a>` : escaped.replaceAll('\n', '<br>');
      })}</p>`,
  );
  const html = `<!doctype html><html lang="${escapeHtml(language)}"><body>${htmlLines.join('')}<p>— PetAmigos</p></body></html>`;
  return { subject: fill(subject, params, (value) => value), text, html };
}
