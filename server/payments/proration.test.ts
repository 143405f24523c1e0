// The arithmetic of the unused part of a month (proration.ts): exact integer minor units, rounded
// down, never negative, never more than what is left unrefunded of the payment, nothing once the
// period is over, all of it (less what was refunded) before it began.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { unusedPart } from './proration.ts';

const DAY = 86_400_000;
const start = new Date('2026-12-01T10:00:00.000Z');
const end = new Date('2026-12-31T10:00:00.000Z');

describe('proration', () => {
  test('proration: half-way through a 30-day month of MXN 99.00 gives back 49.50; the last hour gives back 13 centavos; at the end or after, nothing', () => {
    const paid = { amountMinor: 9900, refundedMinor: 0 };
    expect(unusedPart(paid, { start, end }, new Date(start.getTime() + 15 * DAY))).toEqual({
      amountMinor: 4950,
      fraction: 0.5,
      leftMs: 15 * DAY,
      lengthMs: 30 * DAY,
    });
    // 9900 × 1/720 = 13.75: rounded down.
    expect(unusedPart(paid, { start, end }, new Date(end.getTime() - 3_600_000)).amountMinor).toBe(13);
    expect(unusedPart(paid, { start, end }, end).amountMinor).toBe(0);
    expect(unusedPart(paid, { start, end }, new Date(end.getTime() + DAY)).amountMinor).toBe(0);
    // Under one minor unit: nothing.
    expect(unusedPart(paid, { start, end }, new Date(end.getTime() - 200_000)).amountMinor).toBe(0);
  });

  test('proration: capped at what is left unrefunded; a period not begun yet (a renewal paid early) is unused whole; a fully refunded one gives nothing', () => {
    expect(unusedPart({ amountMinor: 9900, refundedMinor: 9600 }, { start, end }, new Date(start.getTime() + 15 * DAY)).amountMinor).toBe(
      300,
    );
    expect(unusedPart({ amountMinor: 9900, refundedMinor: 0 }, { start, end }, new Date(start.getTime() - DAY))).toMatchObject({
      amountMinor: 9900,
      fraction: 1,
    });
    expect(unusedPart({ amountMinor: 9900, refundedMinor: 9900 }, { start, end }, start).amountMinor).toBe(0);
  });

  test('proration (property): an integer between 0 and what is left unrefunded, the floor of paid × left ÷ length, and never more for a later moment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: -40 * DAY, max: 40 * DAY }),
        fc.integer({ min: 1, max: 40 * DAY }),
        fc.integer({ min: -45 * DAY, max: 45 * DAY }),
        fc.integer({ min: 0, max: DAY }),
        (amountMinor, refundedRaw, startOffset, lengthMs, atOffset, later) => {
          const refundedMinor = refundedRaw % (amountMinor + 1);
          const from = new Date(start.getTime() + startOffset);
          const until = new Date(from.getTime() + lengthMs);
          const at = new Date(start.getTime() + atOffset);
          const paid = { amountMinor, refundedMinor };
          const unused = unusedPart(paid, { start: from, end: until }, at);
          expect(Number.isInteger(unused.amountMinor)).toBe(true);
          expect(unused.amountMinor).toBeGreaterThanOrEqual(0);
          expect(unused.amountMinor).toBeLessThanOrEqual(amountMinor - refundedMinor);
          expect(unused.fraction).toBeGreaterThanOrEqual(0);
          expect(unused.fraction).toBeLessThanOrEqual(1);
          // Exactly the floor, as exact integer arithmetic gives it.
          const left = BigInt(Math.max(0, Math.min(lengthMs, until.getTime() - Math.max(at.getTime(), from.getTime()))));
          const floor = Number((BigInt(amountMinor) * left) / BigInt(lengthMs));
          expect(unused.amountMinor).toBe(Math.min(floor, amountMinor - refundedMinor));
          const afterwards = unusedPart(paid, { start: from, end: until }, new Date(at.getTime() + later));
          expect(afterwards.amountMinor).toBeLessThanOrEqual(unused.amountMinor);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
