// The 20 languages (and the regional variants) as a select's options, each in its own name.
import { For, type JSX } from 'solid-js';
import { LOCALE_NAMES, SUPPORTED } from '../i18n/locales.ts';

export function LanguageOptions(): JSX.Element {
  return <For each={[...SUPPORTED]}>{(code) => <option value={code}>{LOCALE_NAMES[code] ?? code}</option>}</For>;
}
