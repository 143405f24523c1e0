// `db.execute` answers differently per driver: postgres.js with an array of rows, PGlite with an
// object holding `rows`. Raw queries read their rows through this.
export function rowsOf<R>(result: unknown): R[] {
  return Array.isArray(result) ? (result as R[]) : ((result as { rows?: R[] }).rows ?? []);
}
