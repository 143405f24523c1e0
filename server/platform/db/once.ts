// Creates that a client may retry: an idempotency key (`clientId`) chosen by the client names
// one create, a unique index on (creator, key) holds it, and a retry answers what the first
// attempt made instead of making it again, even when both attempts run at once.

/** The name of the unique constraint a failed insert violated, from either database driver. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const fields = current as Error & { code?: string; constraint_name?: string; constraint?: string };
    if (fields.code === '23505')
      return fields.constraint_name ?? fields.constraint ?? current.message.match(/unique constraint "([^"]+)"/)?.[1];
  }
  return undefined;
}

/**
 * `create` unless the key already made something: `earlier` finds that (undefined when the key
 * is new). A concurrent attempt that loses the race on the unique index `constraint` answers
 * the winner's.
 */
export async function createOnce<T>(
  key: string | undefined,
  constraint: string,
  earlier: (key: string) => Promise<T | undefined>,
  create: () => Promise<T>,
): Promise<T> {
  if (key === undefined) return create();
  const found = await earlier(key);
  if (found !== undefined) return found;
  try {
    return await create();
  } catch (error) {
    if (violatedUniqueConstraint(error) !== constraint) throw error;
    const winner = await earlier(key);
    if (winner === undefined) throw error;
    return winner;
  }
}
