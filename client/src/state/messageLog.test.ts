// The message log of a conversation: kept by seq, read in seq order, a seq never twice, holes
// found; receipts read "Sent", "Delivered", "Seen" and "Seen by N"; the edit window.
import { expect, test } from 'vitest';
import { receiptText } from '../components/chat/format.ts';
import {
  type ChatMessage,
  canEdit,
  contiguousEnd,
  gaps,
  type MessagesBySeq,
  mergeMessages,
  opensGap,
  ordered,
  receiptOf,
} from './messageLog.ts';
import { chatMessage } from './testing.ts';

const ana = '0192a1b2-c3d4-7e5f-8a9b-00000000a000';
const message = (seq: number, overrides: Partial<ChatMessage> = {}) =>
  chatMessage(seq, { senderId: ana, clientId: `client-${seq}`, ...overrides });
const log = (...seqs: number[]): MessagesBySeq =>
  mergeMessages(
    {},
    seqs.map((seq) => message(seq)),
  );

test('messages: merged by seq in seq order, whatever order they arrive in, each seq once', () => {
  const held = mergeMessages(log(3, 1), [message(2), message(3), message(4)]);
  expect(ordered(held).map((each) => each.seq)).toEqual([1, 2, 3, 4]);
  const replayed = mergeMessages(held, [message(1), message(2), message(4)]);
  expect(ordered(replayed).map((each) => each.seq)).toEqual([1, 2, 3, 4]);
});

test('messages: the newer copy of a seq wins (an edit or a tombstone replaces it in place)', () => {
  const edited = mergeMessages(log(1, 2), [message(2, { text: 'edited', editedAt: '2026-11-24T18:01:00.000Z' })]);
  expect(ordered(edited).map((each) => each.text)).toEqual(['message 1', 'edited']);
  expect(mergeMessages(edited, [])).toBe(edited);
});

test('messages: holes are found, and a live message past the last held one opens a gap', () => {
  expect(contiguousEnd({})).toBe(0);
  expect(contiguousEnd(log(5, 6, 7))).toBe(7);
  expect(contiguousEnd(log(5, 6, 9, 10))).toBe(6);
  expect(gaps(log(5, 6, 9, 10, 12))).toEqual([
    { from: 7, to: 8 },
    { from: 11, to: 11 },
  ]);
  expect(gaps(log(1, 2, 3))).toEqual([]);
  expect(opensGap(log(1, 2, 3), 4)).toBe(false);
  expect(opensGap(log(1, 2, 3), 3)).toBe(false);
  expect(opensGap(log(1, 2, 3), 6)).toBe(true);
  // Nothing held yet: the first page is still on its way, nothing to compare with.
  expect(opensGap({}, 6)).toBe(false);
});

test('receipts: one-to-one reads Sent, Delivered, then Seen; a group counts who read it', () => {
  const pointer = (deliveredSeq: number, readSeq: number) => ({ deliveredSeq, readSeq });
  expect(receiptText(receiptOf(5, 'direct', [pointer(4, 4)]))).toBe('Sent');
  expect(receiptText(receiptOf(5, 'direct', [pointer(5, 4)]))).toBe('Delivered');
  expect(receiptText(receiptOf(5, 'direct', [pointer(5, 7)]))).toBe('Seen');
  expect(receiptText(receiptOf(5, 'group', [pointer(0, 0), pointer(0, 0)]))).toBe('Sent');
  expect(receiptText(receiptOf(5, 'group', [pointer(6, 0), pointer(0, 0)]))).toBe('Delivered');
  expect(receiptText(receiptOf(5, 'group', [pointer(6, 6), pointer(5, 5), pointer(9, 2)]))).toBe('Seen by 2');
});

test('edit: own text messages, not deleted, within 15 minutes', () => {
  const sent = new Date('2026-11-24T18:00:00.000Z').getTime();
  const window = 15 * 60_000;
  expect(canEdit(message(1), ana, sent + 60_000, window)).toBe(true);
  expect(canEdit(message(1), ana, sent + window + 1, window)).toBe(false);
  expect(canEdit(message(1), 'someone-else', sent, window)).toBe(false);
  expect(canEdit(message(1, { deletedAt: '2026-11-24T18:01:00.000Z' }), ana, sent, window)).toBe(false);
  expect(canEdit(message(1, { kind: 'encrypted', text: '' }), ana, sent, window)).toBe(false);
});
