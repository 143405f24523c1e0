// What a member may replay of a conversation's topic after a reconnect. The topic log keeps frames
// as they were published, so a replay from an old seq would hand out what the member may not see:
// messages from before they joined (or rejoined), the text of messages deleted since, the text a
// message had before an edit. Each missed frame is placed among the conversation's messages (its
// message seq, or `atSeq` for member and chat changes); if any lies at or before the member's
// joinedSeq the replay becomes a reset (the client re-reads with chats.history, which starts at the
// join). Messages are re-read as they are now: a deleted one is its tombstone, an edited one has
// its current text, a quote of something before the join is empty.
import { and, asc, eq } from 'drizzle-orm';
import type { EventBody } from '../../protocol/catalogue.ts';
import { decodeFrame, encodeFrame } from '../../protocol/codec.ts';
import type { FrameOf } from '../../protocol/frames.ts';
import { anyOf } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import type { RetainedFrame } from '../platform/topics/index.ts';
import { messages } from './schema.ts';
import { type MessageView, readMessages } from './views.ts';

type EventFrame = FrameOf<'event'> & { body: Record<string, unknown> };

/** The message seq a room event belongs to; undefined when it cannot be told (a reset is safer). */
function messageSeqOf(frame: EventFrame): number | undefined {
  const body = frame.body;
  switch (frame.name) {
    case 'message.new':
    case 'message.changed':
      return (body as EventBody<'room', 'message.new'>).message?.seq;
    case 'message.reacted':
      return (body as EventBody<'room', 'message.reacted'>).seq;
    case 'member.changed':
    case 'chat.changed':
      return typeof body.atSeq === 'number' ? body.atSeq : undefined;
    default:
      return undefined;
  }
}

export async function reviewRoomReplay(
  db: Database,
  conversationId: string,
  joinedSeq: number,
  frames: RetainedFrame[],
): Promise<RetainedFrame[] | 'reset'> {
  const events = frames.map((retained) => decodeFrame(retained.frame) as EventFrame);
  const wanted = new Set<number>();
  for (const event of events) {
    const seq = messageSeqOf(event);
    if (seq === undefined || seq <= joinedSeq) return 'reset';
    if (event.name === 'message.new' || event.name === 'message.changed') wanted.add(seq);
  }
  const now = new Map<number, MessageView>();
  if (wanted.size > 0) {
    const rows = await readMessages(
      db,
      undefined,
      and(eq(messages.conversationId, conversationId), anyOf(messages.seq, [...wanted])),
      asc(messages.seq),
      wanted.size,
      () => joinedSeq,
    );
    for (const message of rows) now.set(message.seq, message);
  }
  return events.map((event, index) => {
    if (event.name !== 'message.new' && event.name !== 'message.changed') return frames[index] as RetainedFrame;
    const message = now.get(messageSeqOf(event) as number);
    if (message === undefined) throw new Error(`room ${conversationId}: a published message is not stored`);
    return { seq: event.seq, frame: encodeFrame({ ...event, body: { message } }) };
  });
}
