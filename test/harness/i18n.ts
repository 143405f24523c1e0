// A catalogue text as the web client shows it: ICU plurals formatted by intl-messageformat with
// the language's plural rules, other `{name}` placeholders filled (client/src/i18n/index.ts).
import { IntlMessageFormat } from 'intl-messageformat';

export function format(template: string, params: Record<string, string | number>, language = 'en'): string {
  if (template.includes(', plural,')) return String(new IntlMessageFormat(template, language).format(params));
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}
