import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TotpAlgorithm } from './totp.ts';
import {
  base32Decode,
  base32Encode,
  generateRecoveryCodes,
  generateTotpSecret,
  hotp,
  normalizeRecoveryCode,
  otpauthUrl,
  qrCodeDataUrl,
  timeStep,
  totp,
  verifyTotp,
} from './totp.ts';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

// RFC 6238 Appendix B seeds: the reference code repeats "1234567890" to the hash's output size.
const RFC_SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  SHA1: ascii('12345678901234567890'),
  SHA256: ascii('12345678901234567890123456789012'),
  SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};

describe('hotp', () => {
  test('totp: hotp matches the RFC 4226 Appendix D values for counters 0 to 9', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(RFC_SEEDS.SHA1, counter))).toEqual(expected);
  });

  test('totp: hotp uses the high 32 bits of counters past 2^32', () => {
    // Computed independently with Python's hmac and struct.pack('>Q', counter).
    expect(hotp(RFC_SEEDS.SHA1, 2 ** 32)).toBe('999456');
    expect(hotp(RFC_SEEDS.SHA1, 2 ** 32 + 1)).toBe('108930');
    expect(hotp(RFC_SEEDS.SHA1, 2 ** 40 + 5, { digits: 8 })).toBe('73726206');
  });

  test('totp: hotp refuses negative, fractional and unsafe counters', () => {
    expect(() => hotp(RFC_SEEDS.SHA1, -1)).toThrow(RangeError);
    expect(() => hotp(RFC_SEEDS.SHA1, 1.5)).toThrow(RangeError);
    expect(() => hotp(RFC_SEEDS.SHA1, 2 ** 53)).toThrow(RangeError);
  });
});

describe('totp', () => {
  // RFC 6238 Appendix B, every row: [time in seconds, algorithm, 8-digit TOTP].
  const rows: [number, TotpAlgorithm, string][] = [
    [59, 'SHA1', '94287082'],
    [59, 'SHA256', '46119246'],
    [59, 'SHA512', '90693936'],
    [1111111109, 'SHA1', '07081804'],
    [1111111109, 'SHA256', '68084774'],
    [1111111109, 'SHA512', '25091201'],
    [1111111111, 'SHA1', '14050471'],
    [1111111111, 'SHA256', '67062674'],
    [1111111111, 'SHA512', '99943326'],
    [1234567890, 'SHA1', '89005924'],
    [1234567890, 'SHA256', '91819424'],
    [1234567890, 'SHA512', '93441116'],
    [2000000000, 'SHA1', '69279037'],
    [2000000000, 'SHA256', '90698825'],
    [2000000000, 'SHA512', '38618901'],
    [20000000000, 'SHA1', '65353130'],
    [20000000000, 'SHA256', '77737706'],
    [20000000000, 'SHA512', '47863826'],
  ];

  test.each(rows)('totp: matches RFC 6238 Appendix B at %i s with %s', (seconds, algorithm, expected) => {
    expect(totp(RFC_SEEDS[algorithm], seconds * 1000, { digits: 8, algorithm })).toBe(expected);
  });

  test('totp: timeStep counts whole periods since the epoch', () => {
    expect(timeStep(0)).toBe(0);
    expect(timeStep(29_999)).toBe(0);
    expect(timeStep(30_000)).toBe(1);
    expect(timeStep(59_000)).toBe(1);
    expect(timeStep(1_111_111_109_000)).toBe(0x23523ec);
    expect(timeStep(20_000_000_000_000)).toBe(0x27bc86aa);
    expect(timeStep(120_000, 60)).toBe(2);
  });

  test('totp: a custom period changes which step the time falls in', () => {
    const secret = RFC_SEEDS.SHA1;
    expect(totp(secret, 90_000, { periodSeconds: 60 })).toBe(hotp(secret, 1));
    expect(totp(secret, 90_000)).toBe(hotp(secret, 3));
  });
});

describe('verifyTotp', () => {
  const secret = RFC_SEEDS.SHA1;
  const timeMs = 1_111_111_111_000;
  const step = timeStep(timeMs);
  const codeAt = (offsetSteps: number): string => hotp(secret, step + offsetSteps);

  test('totp: accepts the current code and returns its step', () => {
    expect(verifyTotp(secret, codeAt(0), { timeMs })).toBe(step);
  });

  test('totp: accepts the previous and the next step with window 1', () => {
    expect(verifyTotp(secret, codeAt(-1), { timeMs, window: 1 })).toBe(step - 1);
    expect(verifyTotp(secret, codeAt(1), { timeMs, window: 1 })).toBe(step + 1);
  });

  test('totp: refuses a code two steps away with window 1', () => {
    expect(verifyTotp(secret, codeAt(-2), { timeMs })).toBeNull();
    expect(verifyTotp(secret, codeAt(2), { timeMs })).toBeNull();
  });

  test('totp: window 0 accepts only the current step', () => {
    expect(verifyTotp(secret, codeAt(0), { timeMs, window: 0 })).toBe(step);
    expect(verifyTotp(secret, codeAt(-1), { timeMs, window: 0 })).toBeNull();
  });

  test('totp: refuses a code that was already used', () => {
    expect(verifyTotp(secret, codeAt(0), { timeMs, lastUsedStep: step })).toBeNull();
  });

  test('totp: refuses a code older than the last used one', () => {
    expect(verifyTotp(secret, codeAt(-1), { timeMs, lastUsedStep: step })).toBeNull();
  });

  test('totp: accepts a newer code after one was used', () => {
    expect(verifyTotp(secret, codeAt(1), { timeMs, lastUsedStep: step })).toBe(step + 1);
    expect(verifyTotp(secret, codeAt(0), { timeMs, lastUsedStep: null })).toBe(step);
  });

  test('totp: refuses non-digit, wrong-length and empty input', () => {
    const code = codeAt(0);
    for (const input of ['', '   ', 'abcdef', `${code.slice(0, 5)}x`, code.slice(0, 5), `${code}0`, `-${code.slice(1)}`, '１２３４５６']) {
      expect(verifyTotp(secret, input, { timeMs }), JSON.stringify(input)).toBeNull();
    }
  });

  test('totp: strips spaces inside the code before checking it', () => {
    const code = codeAt(0);
    expect(verifyTotp(secret, ` ${code.slice(0, 3)} ${code.slice(3)} `, { timeMs })).toBe(step);
  });

  test('totp: refuses a wrong code of the right shape', () => {
    const valid = new Set([codeAt(-1), codeAt(0), codeAt(1)]);
    const wrong = ['000000', '111111', '222222', '333333'].find((candidate) => !valid.has(candidate)) ?? '';
    expect(wrong).toHaveLength(6);
    expect(verifyTotp(secret, wrong, { timeMs })).toBeNull();
  });

  test('totp: verifies 8-digit SHA512 codes with their own options', () => {
    const seed = RFC_SEEDS.SHA512;
    const options = { digits: 8, algorithm: 'SHA512', timeMs: 59_000 } as const;
    expect(verifyTotp(seed, '90693936', options)).toBe(1);
    expect(verifyTotp(seed, '693936', options)).toBeNull();
  });
});

describe('base32', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];

  test.each(vectors)('totp: base32 encodes %j as %j (RFC 4648 §10, no padding)', (plain, encoded) => {
    expect(base32Encode(ascii(plain))).toBe(encoded);
    expect(base32Decode(encoded)).toEqual(ascii(plain));
  });

  test('totp: base32 decoding ignores case, spaces and padding', () => {
    expect(base32Decode('MZXW6YQ=')).toEqual(ascii('foob'));
    expect(base32Decode('mzxw 6ytb oi======')).toEqual(ascii('foobar'));
  });

  test('totp: base32 decoding undoes encoding for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const encoded = base32Encode(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        expect(base32Decode(encoded)).toEqual(bytes);
        expect(base32Decode(encoded.toLowerCase())).toEqual(bytes);
      }),
    );
  });

  test('totp: base32 decoding throws TypeError on invalid characters', () => {
    for (const input of ['MZXW1', 'MZXW0', 'MZ-XW', 'MZXW8', 'MZ\tXW', 'MZXW6YTBOI!', 'É']) {
      expect(() => base32Decode(input), JSON.stringify(input)).toThrow(TypeError);
    }
  });
});

describe('enrolment', () => {
  test('totp: generateTotpSecret returns base32 of 20 fresh random bytes', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  test('totp: otpauthUrl percent-encodes the label and parameters', () => {
    const url = otpauthUrl({ secret: 'JBSWY3DPEHPK3PXP', accountName: 'ana@example.com', issuer: 'Pet Amigos' });
    expect(url).toBe(
      'otpauth://totp/Pet%20Amigos:ana%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Pet%20Amigos&algorithm=SHA1&digits=6&period=30',
    );
  });

  test('totp: qrCodeDataUrl returns a PNG data URL', async () => {
    const url = await qrCodeDataUrl(otpauthUrl({ secret: generateTotpSecret(), accountName: 'ana@example.com', issuer: 'Pet Amigos' }));
    const prefix = 'data:image/png;base64,';
    expect(url.startsWith(prefix)).toBe(true);
    const png = Buffer.from(url.slice(prefix.length), 'base64');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});

describe('recovery codes', () => {
  const shape = /^[23456789a-hjkmnp-z]{5}-[23456789a-hjkmnp-z]{5}$/;

  test('totp: generates 10 distinct recovery codes of the form xxxxx-xxxxx', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(shape);
  });

  test('totp: generates as many recovery codes as asked', () => {
    expect(generateRecoveryCodes(0)).toEqual([]);
    const codes = generateRecoveryCodes(25);
    expect(new Set(codes).size).toBe(25);
    expect(() => generateRecoveryCodes(-1)).toThrow(RangeError);
  });

  test('totp: normalizeRecoveryCode ignores case, spaces and dashes', () => {
    expect(normalizeRecoveryCode('ABCDE-FGHJK')).toBe('abcdefghjk');
    expect(normalizeRecoveryCode(' abcde - FGHJK ')).toBe('abcdefghjk');
    expect(normalizeRecoveryCode('abcdefghjk')).toBe('abcdefghjk');
    const [code] = generateRecoveryCodes(1);
    expect(normalizeRecoveryCode(code?.toUpperCase() ?? '')).toBe(code?.replace('-', ''));
  });
});
