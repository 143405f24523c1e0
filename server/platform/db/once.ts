// Creates that a client may retry: an idempotency key (`clientId`) chosen by the client names
// one create, a unique index on (creator, key) holds it, and a retry answers what the first
// attempt made instead of making it again, even when both attempts run at once.

/**
 * `create` unless the key already made something: `earlier` finds that (undefined when the key
 * is new). A concurrent attempt that loses the race (on the unique index of creator and key)
 * answers the winner's.
 */
export async function createOnce<T>(
  key: string | undefined,
  earlier: (key: string) => Promise<T | undefined>,
  create: () => Promise<T>,
): Promise<T> {
  if (key === undefined) return create();
  const found = await earlier(key);
  if (found !== undefined) return found;
  try {
    return await create();
  } catch (error) {
    // Lost the race on the key, or refused because of what the winner just did (the limit it
    // reached, say): the winner's answer is the answer.
    const winner = await earlier(key);
    if (winner === undefined) throw error;
    return winner;
  }
}
