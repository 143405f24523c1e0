// The README's figures are the code's: its table of limits is the one written from the config
// declarations and the enforcing constants, and its registration rules name the real ones.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { USERNAME } from '../accounts/users.ts';
import { LANGUAGES } from '../i18n/languages.ts';
import { LIMITS_BEGIN, LIMITS_END, limitsTable, withLimitsTable } from './limits.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('readme: the limits table is the one written from the code (bun scripts/limits-table.ts rewrites it)', () => {
  const section = readme.slice(readme.indexOf(LIMITS_BEGIN) + LIMITS_BEGIN.length, readme.indexOf(LIMITS_END)).trim();
  expect(section).toBe(limitsTable());
  expect(withLimitsTable(readme)).toBe(readme);
});

test('readme: the limits table shows the defaults of the configuration, and a changed figure is caught', () => {
  const table = limitsTable();
  expect(table).toContain('| 10 per hour ');
  expect(table).toContain('`WS_SOCKETS_PER_USER`');
  expect(table).toContain('5 GiB');
  const tampered = readme.replace('| 10 per hour ', '| 20 per hour ');
  expect(tampered).not.toBe(readme);
  expect(withLimitsTable(tampered)).not.toBe(tampered);
});

test('readme: the registration rules name the username pattern and every accepted language', () => {
  expect(readme).toContain(`\`${USERNAME.source}\``);
  const languages = readme.match(/Accepted languages[^\n]*\n?[^\n]*/)?.[0] ?? '';
  for (const code of LANGUAGES) expect(languages).toContain(`\`${code}\``);
});
