// Translation at run time: the catalogue of the current locale (loaded on demand, so only the
// chosen language is downloaded), its regional overrides, English as the last fallback, and
// Intl for dates (numbers and currencies join with the screens that show them). The locale comes from the browser, can be overridden, and is
// remembered in localStorage; the document's lang and dir follow it (Arabic and Urdu are RTL).
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { createMemo, createResource, createRoot, createSignal } from 'solid-js';
import { isolated } from './isolate.ts';
import { directionOf, languageOf, negotiate, SUPPORTED } from './locales.ts';
import { en, type MessageKey, type Messages } from './messages/en.ts';

const STORAGE_KEY = 'petamigos.locale';

const loaders: Record<string, () => Promise<Messages>> = {
  es: () => import('./messages/es.ts').then((m) => m.es),
  zh: () => import('./messages/zh.ts').then((m) => m.zh),
  'zh-TW': () => import('./messages/zh-TW.ts').then((m) => m.zhTW),
  fr: () => import('./messages/fr.ts').then((m) => m.fr),
  pt: () => import('./messages/pt.ts').then((m) => m.pt),
  ar: () => import('./messages/ar.ts').then((m) => m.ar),
  hi: () => import('./messages/hi.ts').then((m) => m.hi),
  ru: () => import('./messages/ru.ts').then((m) => m.ru),
  de: () => import('./messages/de.ts').then((m) => m.de),
  ja: () => import('./messages/ja.ts').then((m) => m.ja),
  bn: () => import('./messages/bn.ts').then((m) => m.bn),
  ko: () => import('./messages/ko.ts').then((m) => m.ko),
  it: () => import('./messages/it.ts').then((m) => m.it),
  tr: () => import('./messages/tr.ts').then((m) => m.tr),
  id: () => import('./messages/id.ts').then((m) => m.id),
  ur: () => import('./messages/ur.ts').then((m) => m.ur),
  th: () => import('./messages/th.ts').then((m) => m.th),
  pl: () => import('./messages/pl.ts').then((m) => m.pl),
  nl: () => import('./messages/nl.ts').then((m) => m.nl),
  vi: () => import('./messages/vi.ts').then((m) => m.vi),
};

async function load(locale: string): Promise<Messages> {
  if (locale === 'zh-TW') return (loaders['zh-TW'] as () => Promise<Messages>)();
  const language = languageOf(locale);
  const base = language === 'en' ? en : await (loaders[language] as () => Promise<Messages>)();
  if (locale === language) return base;
  const { variants } = await import('./messages/variants.ts');
  return { ...base, ...variants[locale] };
}

function initialLocale(): string {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  if (saved !== null && SUPPORTED.includes(saved)) return saved;
  return negotiate(typeof navigator === 'undefined' ? [] : navigator.languages);
}

function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

const i18n = createRoot(() => {
  const [locale, setLocaleSignal] = createSignal(initialLocale());
  const [messages] = createResource(locale, load, { initialValue: en });
  const direction = createMemo(() => directionOf(locale()));
  return { locale, setLocaleSignal, messages, direction };
});

export const locale = i18n.locale;
export const direction = i18n.direction;
export function setLocale(next: string): void {
  if (!SUPPORTED.includes(next)) return;
  localStorage.setItem(STORAGE_KEY, next);
  i18n.setLocaleSignal(next);
}

/**
 * A catalogue text as the app has it: a string, or, for an ICU plural in a production build, the
 * message already parsed (vite.config.ts parses them at build time, so the ICU parser is not
 * shipped: intl-messageformat only formats).
 */
type Template = string | MessageFormatElement[];

/** Compiled ICU messages (plurals), by locale and template. */
const compiled = new Map<string, Map<Template, IntlMessageFormat>>();

/**
 * The text of `key` in the current locale; English when missing there; the key itself if unknown.
 * A text with an ICU plural (`{count, plural, one {# comment} other {# comments}}`) is formatted by
 * intl-messageformat with the locale's plural rules (Arabic has six forms, Russian and Polish
 * four) and its digits; the others only have their `{name}` placeholders filled.
 */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const messages = i18n.messages.latest ?? en;
  const template = (messages[key] ?? en[key]) as Template | undefined;
  if (template === undefined) return key;
  if (typeof template === 'string' && !template.includes(', plural,')) return fill(template, isolated(params));
  const language = messages === en ? 'en' : i18n.locale();
  let forLanguage = compiled.get(language);
  if (forLanguage === undefined) {
    forLanguage = new Map();
    compiled.set(language, forLanguage);
  }
  let format = forLanguage.get(template);
  if (format === undefined) {
    format = new IntlMessageFormat(template, language);
    forLanguage.set(template, format);
  }
  return String(format.format(isolated(params)));
}

export function formatRelative(date: Date | string | number): string {
  const seconds = Math.round((new Date(date).getTime() - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(seconds, 'second');
}

const BYTE_UNITS = [
  ['gigabyte', 1024 ** 3],
  ['megabyte', 1024 ** 2],
  ['kilobyte', 1024],
] as const;

/** "4.2 GB", "730 MB", "12 kB" in the user's language (binary multiples, as most systems show sizes). */
export function formatBytes(bytes: number): string {
  const [unit, size] = BYTE_UNITS.find(([, size]) => bytes >= size) ?? ['byte', 1];
  return new Intl.NumberFormat(locale(), { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(bytes / size);
}

/** "10 min", "15 sec" in the user's language. */
export function formatDuration(ms: number): string {
  const minutes = ms >= 60_000 && ms % 60_000 === 0;
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: minutes ? 'minute' : 'second', maximumFractionDigits: 1 }).format(
    minutes ? ms / 60_000 : ms / 1000,
  );
}

/** A count in the user's language ("1,024"; "١٬٠٢٤" in Arabic). */
export function formatNumber(value: number, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits }).format(value);
}
