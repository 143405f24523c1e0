// Which layout the window has room for, as signals that follow resizes and rotations: from
// 768 px the side rail replaces the phone's bars, from 1200 px the right rail shows too. Only the
// navigation of the current layout is rendered (and the right rail's calls made only when shown).
import { createRoot, createSignal } from 'solid-js';

function mediaSignal(query: string): () => boolean {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => false;
  const list = window.matchMedia(query);
  const [matches, setMatches] = createSignal(list.matches);
  list.addEventListener('change', (event) => setMatches(event.matches));
  return matches;
}

export const viewport = createRoot(() => ({
  wide: mediaSignal('(min-width: 768px)'),
  widest: mediaSignal('(min-width: 1200px)'),
}));
