// A catalogue text as the web client shows it: ICU plurals formatted by intl-messageformat with
// the language's plural rules, other `{name}` placeholders filled, what people wrote isolated for
// bidi (client/src/i18n/index.ts and isolate.ts).
import { IntlMessageFormat } from 'intl-messageformat';
import { isolated } from '../../client/src/i18n/isolate.ts';

export function format(template: string, params: Record<string, string | number>, language = 'en'): string {
  const values = isolated(params);
  if (template.includes(', plural,')) return String(new IntlMessageFormat(template, language).format(values));
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}
