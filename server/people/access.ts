// Who may follow the topics about a user that others can follow (`viewer` access in the
// catalogue): presence by the user's `presence` setting, the profile topic by anyone not blocked
// on either side. The gateway asks on subscribe, and again for current followers when an
// AccessChange about the user arrives.
import { isBlocked, relationFacts } from '../graph/relations.ts';
import type { Database } from '../platform/db/index.ts';
import { allowsPresence, privacyOf } from './privacy.ts';

export async function mayView(db: Database, viewerId: string, kind: string, ownerId: string): Promise<boolean> {
  if (viewerId === ownerId) return true;
  const facts = await relationFacts(db, viewerId, ownerId);
  switch (kind) {
    case 'presence':
      return allowsPresence(await privacyOf(db, ownerId), facts);
    case 'profile':
      return !isBlocked(facts);
    default:
      return false;
  }
}
