// CLABEs (Clave Bancaria Estandarizada), the 18-digit account numbers SPEI transfers go to: 3
// digits of bank, 3 of plaza, 11 of account, and a check digit. The check digit weighs the first
// 17 digits 3, 7, 1, 3, 7, 1…, sums each product modulo 10, and is (10 − sum mod 10) mod 10, as
// Banco de México specifies. Each SPEI payment gets its own: the receiving account's prefix (bank,
// plaza and the first account digits, SPEI_CLABE_PREFIX) followed by the payment's numeric
// reference, so a transfer names the payment it pays.
const WEIGHTS = [3, 7, 1];

/** The check digit of the first 17 digits of a CLABE. */
export function clabeCheckDigit(first17: string): number {
  if (!/^\d{17}$/.test(first17)) throw new Error(`a CLABE starts with 17 digits: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(first17[i]) * (WEIGHTS[i % 3] as number)) % 10;
  return (10 - (sum % 10)) % 10;
}

/** Whether 18 digits are a well-formed CLABE (its check digit right). */
export function isClabe(value: string): boolean {
  return /^\d{18}$/.test(value) && clabeCheckDigit(value.slice(0, 17)) === Number(value[17]);
}

/** The CLABE of a payment: the 10-digit prefix, the 7-digit reference, the check digit. */
export function clabeFor(prefix: string, reference: number): string {
  if (!/^\d{10}$/.test(prefix)) throw new Error('the CLABE prefix is 10 digits (bank, plaza, first account digits)');
  if (!Number.isInteger(reference) || reference < 1 || reference > 9_999_999)
    throw new Error(`a numeric reference is 1 to 7 digits: ${reference}`);
  const first17 = `${prefix}${String(reference).padStart(7, '0')}`;
  return `${first17}${clabeCheckDigit(first17)}`;
}

/**
 * A CLABE grouped for reading aloud or checking by eye, by its parts: bank, plaza, the rest of the
 * prefix, the reference, the check digit (`646 180 1570 0000001 7`). Banks' apps want the 18
 * digits unbroken, so whatever shows this shows those too.
 */
export function groupedClabe(clabe: string): string {
  return [clabe.slice(0, 3), clabe.slice(3, 6), clabe.slice(6, 10), clabe.slice(10, 17), clabe.slice(17)].join(' ');
}
