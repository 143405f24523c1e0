// The catalogue's string formats are the ones TypeBox uses in a running server, even though
// @elysiajs/openapi, which the HTTP app loads, sets its own for the same names.
import { FormatRegistry } from '@sinclair/typebox';
import { expect, test } from 'vitest';
// As in a node: the catalogue's formats load first, then the HTTP app with @elysiajs/openapi.
import './formats.ts';
import '../server/http/app.ts';
import { FORMATS } from './formats.ts';

test('formats: once the HTTP app is loaded, uuid, date and date-time are the catalogue’s checks', () => {
  for (const [name, check] of Object.entries(FORMATS)) expect(FormatRegistry.Get(name)).toBe(check);
});

test('formats: uuid takes any hex UUID in either case and nothing else; dates are real calendar dates', () => {
  const uuid = FORMATS.uuid as (value: string) => boolean;
  expect(uuid('0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
  expect(uuid('0192A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B')).toBe(true);
  expect(uuid('0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5')).toBe(false);
  expect(uuid('0192a1b2c3d47e5f8a9b0c1d2e3f4a5b')).toBe(false);
  expect((FORMATS.date as (value: string) => boolean)('2026-02-30')).toBe(false);
  expect((FORMATS['date-time'] as (value: string) => boolean)('2026-12-06T12:00:00.5+01:00')).toBe(true);
});
