// The post page's thread: a comment heard of live is fetched and put at the end of its open level,
// or only counted on its parent while that level is closed; a deleted comment without answers
// leaves (comments.get still returns it), and takes with it a deleted parent kept only for it.
import { createRoot } from 'solid-js';
import { afterEach, expect, test, vi } from 'vitest';
import type { Comment } from './posts.ts';
import { actions } from './store.ts';
import { createThread } from './thread.ts';

afterEach(() => vi.restoreAllMocks());

const postId = '0192a1b2-4444-7000-8000-000000000001';
const comment = (id: string, overrides: Partial<Comment> = {}): Comment => ({
  id,
  postId,
  parentId: null,
  depth: 1,
  author: { id: 'u-1', username: 'ana', displayName: 'Ana', avatarMediaId: null, verified: false, accountType: 'personal', badges: [] },
  text: `text of ${id}`,
  entities: [],
  reactions: { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 },
  replies: 0,
  myReaction: null,
  createdAt: '2026-11-24T09:05:00.000Z',
  editedAt: null,
  deleted: false,
  ...overrides,
});

/** A fake server: comments by id, and the first level's page. */
function serve(comments: Record<string, Comment>, firstPage: Comment[]) {
  return vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: { commentId?: string; parentId?: string }) => {
    if (op === 'comments.list') return { items: body.parentId === undefined ? firstPage : [], nextCursor: null };
    if (op === 'comments.get') return comments[body.commentId as string];
    if (op === 'comments.delete') return {};
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
}

test('thread: a live comment joins its open level once; an answer to a closed level is counted on its parent', async () => {
  const first = comment('c-1');
  const server: Record<string, Comment> = { 'c-1': first };
  serve(server, [first]);
  const thread = createRoot(() => createThread(postId));
  await thread.load(null);
  expect(thread.thread.levels['']).toEqual(['c-1']);

  server['c-2'] = comment('c-2');
  await thread.refresh('c-2');
  await thread.refresh('c-2');
  expect(thread.thread.levels['']).toEqual(['c-1', 'c-2']);

  server['c-3'] = comment('c-3', { parentId: 'c-1', depth: 2 });
  await thread.refresh('c-3');
  expect(thread.thread.levels['c-1']).toBeUndefined();
  expect(thread.thread.byId['c-1']?.replies).toBe(1);
});

test('thread: a deleted comment with answers stays as a placeholder; its last answer deleted takes it along', async () => {
  const parent = comment('c-1');
  const server: Record<string, Comment> = { 'c-1': parent };
  serve(server, [parent]);
  const thread = createRoot(() => createThread(postId));
  await thread.load(null);
  server['c-2'] = comment('c-2', { parentId: 'c-1', depth: 2 });
  await thread.refresh('c-2');
  expect(thread.thread.byId['c-1']?.replies).toBe(1);

  server['c-1'] = comment('c-1', { replies: 1, author: null, text: '', deleted: true });
  await thread.refresh('c-1');
  expect(thread.thread.byId['c-1']?.deleted).toBe(true);
  expect(thread.thread.levels['']).toEqual(['c-1']);

  server['c-2'] = comment('c-2', { parentId: 'c-1', depth: 2, author: null, text: '', deleted: true });
  await thread.remove('c-2');
  expect(thread.thread.byId['c-2']).toBeUndefined();
  expect(thread.thread.byId['c-1']).toBeUndefined();
  expect(thread.thread.levels['']).toEqual([]);
});
