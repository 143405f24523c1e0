// The locales the client speaks: the 20 languages of the plan, and the regional variants it
// lists where wording differs. A locale falls back to its language, then to English.
import { LANGUAGES, type Language } from '../../../server/i18n/languages.ts';

export { LANGUAGES };

export const VARIANTS = [
  'es-ES',
  'es-MX',
  'es-AR',
  'es-CL',
  'es-CO',
  'en-US',
  'en-GB',
  'en-AU',
  'en-CA',
  'fr-CA',
  'pt-PT',
  'zh-TW',
] as const;

/** Names shown in the language menu, each in its own language. */
export const LOCALE_NAMES: Record<string, string> = {
  en: 'English',
  'en-US': 'English (US)',
  'en-GB': 'English (UK)',
  'en-AU': 'English (Australia)',
  'en-CA': 'English (Canada)',
  es: 'Español',
  'es-ES': 'Español (España)',
  'es-MX': 'Español (México)',
  'es-AR': 'Español (Argentina)',
  'es-CL': 'Español (Chile)',
  'es-CO': 'Español (Colombia)',
  zh: '中文（简体）',
  'zh-TW': '中文（繁體）',
  fr: 'Français',
  'fr-CA': 'Français (Canada)',
  pt: 'Português (Brasil)',
  'pt-PT': 'Português (Portugal)',
  ar: 'العربية',
  hi: 'हिन्दी',
  ru: 'Русский',
  de: 'Deutsch',
  ja: '日本語',
  bn: 'বাংলা',
  ko: '한국어',
  it: 'Italiano',
  tr: 'Türkçe',
  id: 'Bahasa Indonesia',
  ur: 'اردو',
  th: 'ไทย',
  pl: 'Polski',
  nl: 'Nederlands',
  vi: 'Tiếng Việt',
};

export const SUPPORTED: readonly string[] = [...LANGUAGES, ...VARIANTS];
const RTL = new Set(['ar', 'ur']);

export function languageOf(locale: string): Language {
  const base = locale.split('-')[0]?.toLowerCase() ?? 'en';
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
}

export function directionOf(locale: string): 'rtl' | 'ltr' {
  return RTL.has(languageOf(locale)) ? 'rtl' : 'ltr';
}

/** The best supported locale for the browser's preferences: exact variant, else its language. */
export function negotiate(preferred: readonly string[]): string {
  for (const wanted of preferred) {
    const exact = SUPPORTED.find((locale) => locale.toLowerCase() === wanted.toLowerCase());
    if (exact !== undefined) return exact;
    const base = wanted.split('-')[0]?.toLowerCase();
    if (base !== undefined && (LANGUAGES as readonly string[]).includes(base)) {
      // zh-Hant / zh-HK read Traditional characters.
      if (base === 'zh' && /hant|tw|hk|mo/i.test(wanted)) return 'zh-TW';
      return base;
    }
  }
  return 'en';
}

/** The IANA time zones this browser knows (empty where Intl cannot list them). */
export const TIME_ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
