// Membership in a list as one parameter. Every query runs as a named prepared statement kept per
// pooled connection (index.ts), keyed by its text. `inArray` (or `in ${list}`) writes a placeholder
// per value, so each length of the list is a text of its own, prepared and kept on every
// connection, with a plan in every PostgreSQL backend: 6.4 KB of the node's heap per text and
// connection (measured with 500 lengths), and the soak's live heap grew by 0.5 MB a minute as new
// lengths came up. `= any($1::type[])` is one text whatever the length. Lists of a fixed length
// (a constant set of states) may stay with `inArray`.
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** `column = any($1::<column type>[])`. */
export function anyOf(column: PgColumn, values: readonly unknown[]): SQL {
  const encoded = values.map((value) => column.mapToDriverValue(value));
  return sql`${column} = any(${sql.param(encoded)}::${sql.raw(column.getSQLType())}[])`;
}

/** A list of uuids as one parameter, for raw SQL: `p.id = any(${uuids(ids)})`. */
export function uuids(values: readonly string[]): SQL {
  return sql`${sql.param([...values])}::uuid[]`;
}
