// The 20 languages PetAmigos speaks (the owner's plan, section 5), by BCP 47 primary code.
// Mail, the web client and the helpdesk all key their catalogues by these codes; English is the
// fallback for any text a catalogue lacks.
export const LANGUAGES = [
  'en',
  'es',
  'zh',
  'fr',
  'pt',
  'ar',
  'hi',
  'ru',
  'de',
  'ja',
  'bn',
  'ko',
  'it',
  'tr',
  'id',
  'ur',
  'th',
  'pl',
  'nl',
  'vi',
] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}
