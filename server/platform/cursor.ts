// Cursors of paginated lists: the sort key of the last item returned, opaque to clients
// (base64url of a JSON array). A cursor that does not decode to the expected shape is refused as
// INVALID_CURSOR before any query runs.
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
