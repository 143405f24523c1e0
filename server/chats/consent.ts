// Who may write to whom in a one-to-one conversation, on every send and not only the first: the
// other person's current `messages` setting decides (people/privacy.ts `allowsMessageIn`), a
// decline or a block closes it, and a conversation that the other person started stays open to
// the one they wrote to (unless they now take messages from nobody). The room actor asks this
// before each send, edit and reaction; chats.get shows it as `canSend`.
import { relationFacts } from '../graph/relations.ts';
import { allowsMessageIn, privacyOf } from '../people/privacy.ts';
import type { Database } from '../platform/db/index.ts';

export interface DirectPeer {
  id: string;
  /** Their membership state: `declined` closes the conversation to the sender. */
  state: string;
}

/** May `senderId` write to `peer` in the one-to-one conversation started by `startedBy`? */
export async function mayWriteDirect(db: Database, senderId: string, peer: DirectPeer, startedBy: string | null): Promise<boolean> {
  if (peer.state === 'declined') return false;
  const [facts, privacy] = await Promise.all([relationFacts(db, senderId, peer.id), privacyOf(db, peer.id)]);
  return allowsMessageIn(privacy, facts, startedBy === peer.id);
}
