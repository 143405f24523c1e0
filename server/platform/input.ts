// Checks on free text that a schema cannot express: control characters (other than newline and
// tab) have no place in anything people write, and are refused with the field's name.
import { InvalidInputError } from '../errors.ts';

export function checkPlainText(value: string, field: string): void {
  const control = [...value].some((char) => {
    const code = char.charCodeAt(0);
    return (code < 32 && char !== '\n' && char !== '\t') || (code >= 0x7f && code <= 0x9f);
  });
  if (control) throw new InvalidInputError(`${field} holds control characters`, { field });
}
