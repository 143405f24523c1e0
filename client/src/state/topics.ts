// Shared follows of topics on the app's one socket. Several cards and screens may listen to the
// same `post:<id>`; the socket follows it once while anyone listens (the protocol client keeps
// one handler per topic), and leaves it when the last listener goes. Follows stay within the
// per-socket limit the welcome gives, minus a few kept for the app's own topics (user,
// presence, profile): past it a card simply is not live.
import type { EventFrame, TopicHandle } from '../../../protocol/client.ts';
import { actions } from './store.ts';

const KEPT_FOR_THE_APP = 8;
interface Listener {
  onEvent: (event: EventFrame) => void;
  /** What was missed is not replayed (the server sent a reset): read the state again. */
  onReset?: () => void;
}
const followed = new Map<string, { handle: TopicHandle; listeners: Set<Listener> }>();

/** Listens to `topic` until the returned function is called; does nothing offline or past the limit. */
export function follow(topic: string, onEvent: Listener['onEvent'], onReset?: Listener['onReset']): () => void {
  const socket = actions.socket();
  if (socket === undefined) return () => undefined;
  let entry = followed.get(topic);
  if (entry === undefined) {
    const limit = (socket.welcome?.limits.maxSubscriptions ?? 64) - KEPT_FOR_THE_APP;
    if (followed.size >= limit) return () => undefined;
    const listeners = new Set<Listener>();
    const handle = socket.subscribe(
      topic,
      (event) => {
        for (const each of listeners) each.onEvent(event);
      },
      {
        onReset: () => {
          for (const each of listeners) each.onReset?.();
        },
      },
    );
    entry = { handle, listeners };
    followed.set(topic, entry);
  }
  const mine = entry;
  const listener: Listener = { onEvent, onReset };
  mine.listeners.add(listener);
  return () => {
    mine.listeners.delete(listener);
    if (mine.listeners.size > 0 || followed.get(topic) !== mine) return;
    followed.delete(topic);
    void mine.handle.unsubscribe();
  };
}
