// Every catalogue has every key English has, with the same placeholders; locales are
// negotiated from the browser's preferences; Arabic and Urdu read right to left.
/// <reference types="vite/client" />
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, test } from 'vitest';
import { t } from './index.ts';
import { directionOf, LANGUAGES, negotiate, SUPPORTED, VARIANTS } from './locales.ts';
import { en, type Messages } from './messages/en.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const modules = import.meta.glob<Record<string, Messages>>(['./messages/*.ts', '!./messages/en.ts', '!./messages/variants.ts']);
const files = Object.keys(modules).map((path) => path.replace('./messages/', ''));

describe('catalogues', () => {
  test('i18n: there is a catalogue for each of the 20 languages and for Traditional Chinese', () => {
    expect(files.map((name) => name.replace('.ts', '')).sort()).toEqual(
      [...LANGUAGES.filter((language) => language !== 'en'), 'zh-TW'].sort(),
    );
  });

  test.each(files)('i18n: %s has every key of English, no other, with the same placeholders', async (file) => {
    const module = await (modules[`./messages/${file}`] as () => Promise<Record<string, Messages>>)();
    const catalogue = Object.values(module)[0] as Messages;
    const missing = Object.keys(en).filter((key) => !(key in catalogue));
    expect(missing, `${file} misses keys`).toEqual([]);
    expect(Object.keys(catalogue).filter((key) => !(key in en))).toEqual([]);
    for (const key of Object.keys(en) as (keyof Messages)[]) {
      expect(placeholders(catalogue[key]), `${file} ${key}`).toEqual(placeholders(en[key]));
      expect(catalogue[key].trim().length, `${file} ${key} is empty`).toBeGreaterThan(0);
    }
  });

  test.each(files)(
    "i18n: %s words every count with its language's plural forms (ICU plurals that parse and cover each category)",
    async (file) => {
      const module = await (modules[`./messages/${file}`] as () => Promise<Record<string, Messages>>)();
      const catalogue = Object.values(module)[0] as Messages;
      const language = file.replace('.ts', '');
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      for (const key of Object.keys(en) as (keyof Messages)[]) {
        if (!en[key].includes(', plural,')) continue;
        const text = catalogue[key];
        expect(text, `${file} ${key} is not a plural`).toContain('{count, plural,');
        // Parses (throws on a syntax error), and every count formats to text without braces.
        const format = new IntlMessageFormat(text, language);
        for (const count of [0, 1, 2, 3, 5, 11, 21, 100, 1001]) expect(String(format.format({ count, percent: 50 }))).not.toMatch(/[{}]/);
        for (const category of categories)
          expect(text.includes(` ${category} {`) || text.includes(`{${category} {`), `${file} ${key} lacks the "${category}" form`).toBe(
            true,
          );
      }
    },
  );

  test("i18n: t() formats plurals with the locale's rules and fills plain placeholders", () => {
    expect(t('post.comments', { count: 1 })).toBe('1 comment');
    expect(t('post.comments', { count: 2 })).toBe('2 comments');
    expect(t('poll.votes', { count: 1, percent: 100 })).toBe('1 vote · 100%');
    expect(t('chats.unreadCount', { count: 3 })).toBe('3 unread');
  });

  test('i18n: text people wrote is isolated inside a sentence (U+2068 … U+2069), so its direction does not reorder the sentence; numbers are not', () => {
    expect(t('feed.mute', { name: 'أحمد' })).toBe('Mute \u2068أحمد\u2069');
    expect(t('feed.lessOf', { tag: 'perros' })).toBe('See less of #\u2068perros\u2069');
    expect(t('poll.votes', { count: 2, percent: 50 })).toBe('2 votes · 50%');
  });

  test('i18n: regional variants override known keys only, keep the placeholders, and cover the listed variants', async () => {
    const { variants } = await import('./messages/variants.ts');
    expect(Object.keys(variants).sort()).toEqual(VARIANTS.filter((variant) => variant !== 'zh-TW').sort());
    for (const [variant, overrides] of Object.entries(variants)) {
      for (const [key, text] of Object.entries(overrides)) {
        expect(key in en, `${variant} ${key}`).toBe(true);
        expect(placeholders(text as string), `${variant} ${key}`).toEqual(placeholders(en[key as keyof Messages]));
      }
    }
  });
});

describe('locales', () => {
  test('i18n: the browser preference picks the exact variant, else its language, else English', () => {
    expect(negotiate(['es-MX', 'en'])).toBe('es-MX');
    expect(negotiate(['es-419'])).toBe('es');
    expect(negotiate(['zh-Hant-TW'])).toBe('zh-TW');
    expect(negotiate(['zh-CN'])).toBe('zh');
    expect(negotiate(['pt-PT'])).toBe('pt-PT');
    expect(negotiate(['sw', 'fr-BE'])).toBe('fr');
    expect(negotiate(['sw'])).toBe('en');
    expect(SUPPORTED).toContain('ar');
  });

  test('i18n: Arabic and Urdu are right to left, the others left to right', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('ur')).toBe('rtl');
    expect(directionOf('es-MX')).toBe('ltr');
    expect(directionOf('zh-TW')).toBe('ltr');
  });
});
