// Group commit of chat messages across the rooms of one node. Each room actor hands over the
// messages it took from its mailbox together (actors/room.ts); the node's writer stores what every
// room handed over while its previous statement ran in one statement (one round trip, one
// commit): the messages, each conversation's counters and each sender's read pointers. Nothing
// waits to form a batch: a writer with nothing in flight writes at once, so a quiet node pays one
// statement per message as before, and a busy one pays one per round trip however many rooms
// wrote meanwhile.
//
// The statement stores all or nothing. A message whose seq or clientId is taken (a retry after a
// failover, a second holder of a room) fails it; the writer then stores each room's messages on
// their own, so only that room hears of the conflict (and falls back to storing one at a time,
// which resolves it).
import type { DatabaseHandle } from '../platform/db/index.ts';
import type { Attachment, EncryptedBody, StoryQuote, SystemBody } from './schema.ts';

export interface MessageInput {
  seq: number;
  id: string;
  senderId: string | null;
  clientId: string | null;
  kind: 'text' | 'encrypted' | 'system';
  text: string;
  searchText: string;
  encrypted: EncryptedBody | null;
  system: SystemBody | null;
  replyToSeq: number | null;
  attachments: Attachment[];
  story: StoryQuote | null;
  postId: string | null;
  createdAt: Date;
}

/** One room's messages, with consecutive seqs after the room's last. */
export interface RoomWrite {
  conversationId: string;
  /** How far the room had published when these were stored (see RoomActor.republish). */
  publishedSeq: number;
  messages: MessageInput[];
}

interface Pending {
  write: RoomWrite;
  resolve(): void;
  reject(error: unknown): void;
}

/** Messages in one statement at most (a statement's parameter is one JSON document). */
const MAX_MESSAGES = 512;

export class MessageWriter {
  readonly #database: Pick<DatabaseHandle, 'prepared'>;
  #queue: Pending[] = [];
  #writing = false;

  constructor(database: Pick<DatabaseHandle, 'prepared'>) {
    this.#database = database;
  }

  /** Stores one room's messages; settles once they are committed (or not: nothing of them is then stored). */
  write(write: RoomWrite): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ write, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    // What arrived in this same turn joins the first statement.
    await Promise.resolve();
    while (this.#queue.length > 0) {
      let messages = 0;
      let count = 0;
      while (
        count < this.#queue.length &&
        (count === 0 || messages + (this.#queue[count] as Pending).write.messages.length <= MAX_MESSAGES)
      )
        messages += (this.#queue[count++] as Pending).write.messages.length;
      const batch = this.#queue.splice(0, count);
      try {
        await this.#store(batch.map((pending) => pending.write));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        if (batch.length === 1) (batch[0] as Pending).reject(error);
        else await this.#eachRoomAlone(batch);
      }
    }
    this.#writing = false;
  }

  /**
   * After a failed statement: each room's writes on their own, rooms side by side, a room's writes
   * in order; once one of a room's writes fails, its later ones fail with it (stored, they would
   * leave a gap in its seqs).
   */
  async #eachRoomAlone(batch: Pending[]): Promise<void> {
    const byRoom = new Map<string, Pending[]>();
    for (const pending of batch) byRoom.set(pending.write.conversationId, [...(byRoom.get(pending.write.conversationId) ?? []), pending]);
    await Promise.all(
      [...byRoom.values()].map(async (writes) => {
        let failure: unknown;
        for (const pending of writes) {
          if (failure === undefined)
            await this.#store([pending.write]).catch((error: unknown) => {
              failure = error;
            });
          if (failure === undefined) pending.resolve();
          else pending.reject(failure);
        }
      }),
    );
  }

  async #store(writes: RoomWrite[]): Promise<void> {
    const rows = writes.flatMap(({ conversationId, publishedSeq, messages }) =>
      messages.map((message) => ({
        conversation_id: conversationId,
        published_seq: publishedSeq,
        seq: message.seq,
        id: message.id,
        sender_id: message.senderId,
        client_id: message.clientId,
        kind: message.kind,
        text: message.text,
        search_text: message.searchText,
        encrypted: message.encrypted,
        system: message.system,
        reply_to_seq: message.replyToSeq,
        attachments: message.attachments,
        story: message.story,
        post_id: message.postId,
        created_at: message.createdAt.toISOString(),
      })),
    );
    await this.#database.prepared(STORE_MESSAGES, [JSON.stringify(rows)]);
  }
}

/**
 * The messages, each conversation's counters and each sender's pointers, in one statement whose
 * text never changes (prepared once per connection): the rows travel as one JSON parameter. The
 * planner takes a JSON record set for 100 rows and would join it to the whole of `conversations`
 * and `conversation_members` by hash (a scan of each table per write: 4.5 ms with 20,000
 * conversations); the `= any(array(…))` conditions make it read just the rows named, by index.
 */
export const STORE_MESSAGES = `
with v as (
  select * from jsonb_to_recordset($1::text::jsonb) as v(
    conversation_id uuid, published_seq integer, seq integer, id uuid, sender_id uuid, client_id uuid, kind text,
    text text, search_text text, encrypted jsonb, system jsonb, reply_to_seq integer, attachments jsonb, story jsonb,
    post_id uuid, created_at timestamptz)
),
inserted as (
  insert into messages (conversation_id, seq, id, sender_id, client_id, kind, text, search_text, encrypted, system,
    reply_to_seq, attachments, story, post_id, created_at)
  select conversation_id, seq, id, sender_id, client_id, kind, text, search_text, encrypted, system, reply_to_seq,
    attachments, story, post_id, created_at from v
),
counters as (
  update conversations c set last_seq = r.last_seq, published_seq = r.published_seq, last_activity_at = r.at
  from (select conversation_id, max(seq) as last_seq, max(published_seq) as published_seq, max(created_at) as at
        from v group by conversation_id) r
  where c.id = r.conversation_id and c.id = any(array(select conversation_id from v))
),
pointers as (
  update conversation_members m set read_seq = s.seq, delivered_seq = s.seq
  from (select conversation_id, sender_id, max(seq) as seq from v where sender_id is not null group by conversation_id, sender_id) s
  where m.conversation_id = s.conversation_id and m.user_id = s.sender_id
    and m.conversation_id = any(array(select conversation_id from v)) and m.user_id = any(array(select sender_id from v))
)
select 1`;
