// Unique-constraint violations, read the same way from both database drivers (postgres.js, PGlite).

/** The name of the unique constraint a failed insert violated, from either database driver. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const fields = current as Error & { code?: string; constraint_name?: string; constraint?: string };
    if (fields.code === '23505')
      return fields.constraint_name ?? fields.constraint ?? current.message.match(/unique constraint "([^"]+)"/)?.[1];
  }
  return undefined;
}
