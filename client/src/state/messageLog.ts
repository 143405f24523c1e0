// The pure rules of a conversation's messages on this device, apart from Solid and the socket so
// they can be tested alone: messages are kept by seq (a seq is shown once, the newest copy of it
// wins), read in seq order, and a hole in the seqs is a gap to fetch with `chats.history`. Also
// what the receipt under an own message says, and who is typing.
import type { CallResponse } from '../../../protocol/catalogue.ts';

export type ChatMessage = CallResponse<'chats.send'>;
export type Chat = CallResponse<'chats.get'>['chat'];
export type ChatMember = CallResponse<'chats.get'>['members'][number];

/** Messages by seq. */
export type MessagesBySeq = Record<number, ChatMessage>;

/** `incoming` merged into `current`: a seq already there is replaced by the newer copy, never doubled. */
export function mergeMessages(current: MessagesBySeq, incoming: readonly ChatMessage[]): MessagesBySeq {
  if (incoming.length === 0) return current;
  const next = { ...current };
  for (const message of incoming) next[message.seq] = message;
  return next;
}

/** The seqs held, ascending. */
export function seqsOf(messages: MessagesBySeq): number[] {
  return Object.keys(messages)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The messages in the order they were accepted. */
export function ordered(messages: MessagesBySeq): ChatMessage[] {
  return seqsOf(messages).map((seq) => messages[seq] as ChatMessage);
}

/**
 * The last seq reached without a hole, counting from the oldest one held (the older pages are
 * loaded on demand, so what lies before it is not a gap). 0 when nothing is held.
 */
export function contiguousEnd(messages: MessagesBySeq): number {
  const seqs = seqsOf(messages);
  if (seqs.length === 0) return 0;
  let end = seqs[0] as number;
  for (const seq of seqs) {
    if (seq > end + 1) break;
    end = seq;
  }
  return end;
}

/** The holes between the oldest and the newest seq held, as inclusive ranges. */
export function gaps(messages: MessagesBySeq): { from: number; to: number }[] {
  const seqs = seqsOf(messages);
  const holes: { from: number; to: number }[] = [];
  for (let index = 1; index < seqs.length; index++) {
    const before = seqs[index - 1] as number;
    const seq = seqs[index] as number;
    if (seq > before + 1) holes.push({ from: before + 1, to: seq - 1 });
  }
  return holes;
}

/** Whether a live message leaves a hole after what is held (so the missed ones must be fetched). */
export function opensGap(messages: MessagesBySeq, incomingSeq: number): boolean {
  const end = contiguousEnd(messages);
  return end > 0 && incomingSeq > end + 1;
}

export type Receipt = { kind: 'sent' } | { kind: 'delivered' } | { kind: 'seen' } | { kind: 'seenBy'; count: number };

/**
 * What an own message's receipt says from the other members' pointers: one-to-one, "Seen" once
 * the other person read it, else "Delivered" once a device of theirs has it; in a group, "Seen by
 * N" for the N who read it, else "Delivered" when anyone's device has it.
 */
export function receiptOf(seq: number, kind: Chat['kind'], others: readonly Pick<ChatMember, 'readSeq' | 'deliveredSeq'>[]): Receipt {
  const read = others.filter((member) => member.readSeq >= seq).length;
  const delivered = others.some((member) => member.deliveredSeq >= seq || member.readSeq >= seq);
  if (kind === 'direct') {
    if (read > 0) return { kind: 'seen' };
    return delivered ? { kind: 'delivered' } : { kind: 'sent' };
  }
  if (read > 0) return { kind: 'seenBy', count: read };
  return delivered ? { kind: 'delivered' } : { kind: 'sent' };
}

/** Whether an own message may still be edited (text only, not deleted, within the window). */
export function canEdit(message: ChatMessage, me: string, now: number, windowMs: number): boolean {
  return (
    message.senderId === me &&
    message.kind === 'text' &&
    message.deletedAt === null &&
    now - new Date(message.createdAt).getTime() < windowMs
  );
}
