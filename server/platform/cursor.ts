// Cursors of paginated lists: the sort key of the last item returned, opaque to clients
// (base64url of a JSON array). A cursor that does not decode to the expected shape is refused as
// INVALID_CURSOR before any query runs.
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { FORMATS } from '../../protocol/formats.ts';
import { InvalidInputError } from '../errors.ts';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidInputError('the cursor is not one this server gave', { field: 'cursor', code: 'INVALID_CURSOR', cause: error });
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every((part) => typeof part === 'string' && part.length <= 200))
    throw new InvalidInputError('the cursor is not one this server gave', { field: 'cursor', code: 'INVALID_CURSOR' });
  return key as string[];
}

/** Splits `limit + 1` fetched rows into a page and the cursor of its last item. */
export function pageOf<R, I>(
  rows: R[],
  limit: number,
  key: (row: R) => string[],
  view: (row: R) => I,
): { items: I[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { items: page.map(view), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}

export const PAGE_SIZE = 20;

/**
 * SQL: the rows after a (time, id) cursor in a list ordered newest first, `time desc, id desc`;
 * undefined (no condition) on the first page.
 */
export function olderThan(time: AnyPgColumn, id: AnyPgColumn, after: readonly string[] | undefined): SQL | undefined {
  if (after === undefined) return undefined;
  const at = new Date(after[0] as string);
  return or(lt(time, at), and(eq(time, at), lt(id, after[1] as string)));
}

/**
 * A cursor whose parts are of the kinds given, checked before any query: a `time` is an ISO time
 * to the millisecond as the server writes them (not any date Date.parse accepts), a `uuid` a uuid.
 */
export function decodeTypedCursor(cursor: string | undefined, kinds: readonly ('time' | 'uuid')[]): string[] | undefined {
  const key = decodeCursor(cursor, kinds.length);
  const fits = (part: string, kind: 'time' | 'uuid') =>
    kind === 'uuid'
      ? FORMATS.uuid?.(part) === true
      : FORMATS['date-time']?.(part) === true && !Number.isNaN(Date.parse(part)) && new Date(part).toISOString() === part;
  if (key?.some((part, i) => !fits(part, kinds[i] as 'time' | 'uuid')))
    throw new InvalidInputError('the cursor is not one this server gave', { field: 'cursor', code: 'INVALID_CURSOR' });
  return key;
}
