// Amounts typed by staff in major units (pesos, dollars) to the integer minor units the server
// takes (centavos, cents), exactly: the text is read as digits, never through a float, so "4.35"
// is 435 and not 434.99…. A point or a comma followed by one or two digits at the end is the
// decimal mark; before it, digits may be grouped in threes ("1,234.50", "1.234,50", "1 234,50") or
// in lakhs ("1,23,456.50").
// A mark followed by three digits is a group unless it is the language's decimal mark, in which
// case the amount has too many decimals and is refused rather than guessed.

/** The zero of each run of decimal digits a supported language may write (Arabic, Persian/Urdu, Devanagari, Bengali, Thai, full width). */
const ZEROS = [0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10];

/** ASCII digits, "." and "," for what the languages write (Arabic's own marks included), spaces dropped. */
function normalise(text: string): string {
  let out = '';
  for (const char of text.replace(/[\s\u00a0\u202f]/g, '')) {
    const code = char.codePointAt(0) ?? 0;
    const zero = ZEROS.find((start) => code >= start && code <= start + 9);
    out +=
      zero === undefined
        ? char === '\u066b'
          ? '.'
          : char === '\u066c' || char === '\u2019' || char === "'"
            ? ','
            : char
        : String(code - zero);
  }
  return out;
}

/** Thousands in threes ("1,234,567"), and the Indian way (lakhs and crores: "12,34,567") of Hindi and Bengali. */
const GROUPED = /^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$/;
const LAKHS = /^\d{1,2}([.,])(?:\d{2}\1)*\d{3}$/;

const decimalOf = (tag: string) =>
  normalise(new Intl.NumberFormat(tag).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.');

/** Minor units of `text` (at most two decimals, up to 999,999,999.99), or undefined when it is not an amount. */
export function parseMinor(text: string, tag: string): number | undefined {
  const plain = normalise(text);
  const last = Math.max(plain.lastIndexOf('.'), plain.lastIndexOf(','));
  let whole = plain;
  let fraction = '';
  if (last >= 0) {
    const tail = plain.slice(last + 1);
    if (/^\d{1,2}$/.test(tail)) {
      whole = plain.slice(0, last);
      fraction = tail;
    } else if (plain[last] === decimalOf(tag)) return undefined;
  }
  if (!/^\d+$/.test(whole) && !GROUPED.test(whole) && !LAKHS.test(whole)) return undefined;
  const digits = whole.replace(/\D/g, '');
  if (digits.length > 9) return undefined;
  return Number(digits) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Minor units as the language writes the amount in an input, without currency sign or grouping: 1999 → "19.99" (English). */
export function minorToInput(minor: number, tag: string): string {
  const decimal = new Intl.NumberFormat(tag).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
  return `${Math.floor(minor / 100)}${decimal}${String(minor % 100).padStart(2, '0')}`;
}
