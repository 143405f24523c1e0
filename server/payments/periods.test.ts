// The calendar arithmetic of subscriptions: a month later keeps the day of the month where the next
// month has it (else its last day) and the time of day; the daily round is due at the next 00:00 UTC.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addMonth } from './periods.ts';
import { nextMidnight } from './renewals.ts';

describe('subscription periods', () => {
  test('periods: a month after the 31st of January is the last day of February (29th in a leap year), at the same time of day', () => {
    expect(addMonth(new Date('2027-01-31T10:15:00.000Z')).toISOString()).toBe('2027-02-28T10:15:00.000Z');
    expect(addMonth(new Date('2028-01-31T10:15:00.000Z')).toISOString()).toBe('2028-02-29T10:15:00.000Z');
    expect(addMonth(new Date('2026-12-07T23:59:59.999Z')).toISOString()).toBe('2027-01-07T23:59:59.999Z');
  });

  test('periods (property): a month later is always in the next calendar month, 28 to 31 days on, same time of day, never past its day of the month', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        (start) => {
          const next = addMonth(start);
          const months = (next.getUTCFullYear() - start.getUTCFullYear()) * 12 + next.getUTCMonth() - start.getUTCMonth();
          const days = (next.getTime() - start.getTime()) / 86_400_000;
          expect(months).toBe(1);
          expect(days).toBeGreaterThanOrEqual(28);
          expect(days).toBeLessThanOrEqual(31);
          expect(next.getTime() % 86_400_000).toBe(start.getTime() % 86_400_000);
          expect(next.getUTCDate()).toBeLessThanOrEqual(start.getUTCDate());
        },
      ),
    );
  });

  test('periods: the daily round is due at the next 00:00 UTC, also from midnight itself', () => {
    expect(nextMidnight(new Date('2026-12-07T13:00:00.000Z')).toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(nextMidnight(new Date('2026-12-31T00:00:00.000Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});
