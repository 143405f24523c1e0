// Checks on free text that a schema cannot express: control characters (other than newline and
// tab) have no place in anything people write, and are refused with the field's name. Names that
// others see (display names, pet names, group names) also lose the invisible formatting
// characters that make one name look like another or reorder what follows it (cleanName).
import { InvalidInputError } from '../errors.ts';

export function checkPlainText(value: string, field: string): void {
  const control = [...value].some((char) => {
    const code = char.charCodeAt(0);
    return (code < 32 && char !== '\n' && char !== '\t') || (code >= 0x7f && code <= 0x9f);
  });
  if (control) throw new InvalidInputError(`${field} holds control characters`, { field });
}

/**
 * Format characters (Unicode Cf: bidi embeddings, overrides and isolates, zero-width spaces and
 * joiners, word joiner, invisible operators, the BOM, the Arabic letter mark, …), except a
 * zero-width joiner inside an emoji sequence (👩‍👩‍👧), which only joins pictures.
 */
const INVISIBLE = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})|(?!\u200D)\p{Cf}/gu;

/**
 * The one rule for a name people show to others: control characters refused, format characters
 * removed, trimmed. `required`: a name that is empty after that is refused.
 */
export function cleanName(value: string, field: string, options: { required: boolean }): string {
  checkPlainText(value, field);
  if (/[\n\t]/.test(value)) throw new InvalidInputError(`${field} must be one line`, { field });
  const cleaned = value.replace(INVISIBLE, '').trim();
  if (options.required && cleaned === '') throw new InvalidInputError(`${field} is empty`, { field });
  return cleaned;
}
