// Shared follows of topics on the app's one socket. Several cards and screens may listen to the
// same `post:<id>`; the socket follows it once while anyone listens (the protocol client keeps
// one handler per topic), and leaves it when the last listener goes. Follows stay within the
// per-socket limit the welcome gives, minus a few kept for the app's own topics (user,
// presence, profile): past it a card simply is not live.
import type { EventFrame, TopicHandle } from '../../../protocol/client.ts';
import { actions } from './store.ts';

const KEPT_FOR_THE_APP = 8;
const followed = new Map<string, { handle: TopicHandle; listeners: Set<(event: EventFrame) => void> }>();

/** Listens to `topic` until the returned function is called; does nothing offline or past the limit. */
export function follow(topic: string, listener: (event: EventFrame) => void): () => void {
  const socket = actions.socket();
  if (socket === undefined) return () => undefined;
  let entry = followed.get(topic);
  if (entry === undefined) {
    const limit = (socket.welcome?.limits.maxSubscriptions ?? 64) - KEPT_FOR_THE_APP;
    if (followed.size >= limit) return () => undefined;
    const listeners = new Set<(event: EventFrame) => void>();
    const handle = socket.subscribe(topic, (event) => {
      for (const each of listeners) each(event);
    });
    entry = { handle, listeners };
    followed.set(topic, entry);
  }
  const mine = entry;
  mine.listeners.add(listener);
  return () => {
    mine.listeners.delete(listener);
    if (mine.listeners.size > 0 || followed.get(topic) !== mine) return;
    followed.delete(topic);
    void mine.handle.unsubscribe();
  };
}
