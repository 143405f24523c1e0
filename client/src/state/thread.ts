// The comments of one post as the post page shows them: each level (the post's own comments, or
// the answers to one comment) loaded a page at a time, oldest first, and kept in one store by id
// so live events can change a comment wherever it is. A comment added live is fetched and put at
// the end of its level when that level is open, and counted on its parent either way.
import { createStore, produce } from 'solid-js/store';
import { ProtocolError } from '../../../protocol/client.ts';
import type { Comment } from './posts.ts';
import { actions, errorText } from './store.ts';

interface Thread {
  byId: Record<string, Comment>;
  /** The ids shown at each level; '' is the post's own comments. A level not loaded has no entry. */
  levels: Record<string, string[]>;
  next: Record<string, string | null>;
  loading: Record<string, boolean>;
  error: Record<string, string | undefined>;
}

export const levelOf = (parentId: string | null): string => parentId ?? '';

export function createThread(postId: string) {
  const [thread, setThread] = createStore<Thread>({ byId: {}, levels: {}, next: {}, loading: {}, error: {} });

  function insert(comment: Comment) {
    const isNew = thread.byId[comment.id] === undefined;
    setThread(
      produce((draft) => {
        draft.byId[comment.id] = comment;
        if (!isNew) return;
        const level = draft.levels[levelOf(comment.parentId)];
        if (level !== undefined && !level.includes(comment.id)) level.push(comment.id);
        const parent = comment.parentId === null ? undefined : draft.byId[comment.parentId];
        if (parent !== undefined) parent.replies += 1;
      }),
    );
  }

  function drop(commentId: string) {
    const parentId = thread.byId[commentId]?.parentId ?? null;
    setThread(
      produce((draft) => {
        const comment = draft.byId[commentId];
        if (comment === undefined) return;
        const level = draft.levels[levelOf(comment.parentId)];
        if (level !== undefined) draft.levels[levelOf(comment.parentId)] = level.filter((id) => id !== commentId);
        const parent = comment.parentId === null ? undefined : draft.byId[comment.parentId];
        if (parent !== undefined) parent.replies = Math.max(0, parent.replies - 1);
        delete draft.byId[commentId];
      }),
    );
    // A deleted comment kept only for this answer goes with it.
    const parent = parentId === null ? undefined : thread.byId[parentId];
    if (parent?.deleted && parent.replies === 0) drop(parent.id);
  }

  /** Fetches one comment again: changed, a "deleted" placeholder, or gone. */
  async function refresh(commentId: string) {
    try {
      const comment = await actions.call('comments.get', { commentId });
      // A deleted comment stays only as the placeholder of its answers (comments.list leaves out
      // the others; comments.get still returns them).
      if (comment.deleted && comment.replies === 0) drop(commentId);
      else if (thread.byId[commentId] === undefined) insert(comment);
      else setThread('byId', commentId, comment);
    } catch (error) {
      // Gone, or by someone blocked on either side: not shown.
      if (error instanceof ProtocolError && error.code === 'NOT_FOUND') drop(commentId);
      else actions.toast(errorText(error), 'error');
    }
  }

  return {
    thread,
    /** The first page of a level, or the next one. */
    async load(parentId: string | null, more = false) {
      const level = levelOf(parentId);
      setThread('loading', level, true);
      setThread('error', level, undefined);
      try {
        const page = await actions.call('comments.list', {
          postId,
          ...(parentId === null ? {} : { parentId }),
          ...(more ? { cursor: thread.next[level] ?? undefined } : {}),
        });
        setThread(
          produce((draft) => {
            const shown = more ? (draft.levels[level] ?? []) : (draft.levels[level] ?? []).filter((id) => draft.byId[id] !== undefined);
            for (const comment of page.items) {
              draft.byId[comment.id] = comment;
              if (!shown.includes(comment.id)) shown.push(comment.id);
            }
            draft.levels[level] = shown;
            draft.next[level] = page.nextCursor;
          }),
        );
      } catch (error) {
        setThread('error', level, errorText(error));
      } finally {
        setThread('loading', level, false);
      }
    },
    async add(text: string, parentId: string | null) {
      insert(await actions.call('comments.add', { postId, text, ...(parentId === null ? {} : { parentId }) }));
    },
    async edit(commentId: string, text: string) {
      setThread('byId', commentId, await actions.call('comments.edit', { commentId, text }));
    },
    async remove(commentId: string) {
      await actions.call('comments.delete', { commentId });
      await refresh(commentId);
    },
    setReactions(commentId: string, reactions: Comment['reactions'], myReaction?: Comment['myReaction']) {
      if (thread.byId[commentId] === undefined) return;
      setThread('byId', commentId, (comment) => ({
        ...comment,
        reactions,
        myReaction: myReaction === undefined ? comment.myReaction : myReaction,
      }));
    },
    /** `comment.added` and `comment.changed` events: fetch the comment and show it as it is now. */
    refresh,
  };
}

export type CommentThread = ReturnType<typeof createThread>;
