// Text a user wrote (a name, a tag) inside a sentence of the interface is set apart with Unicode's
// first-strong isolate (U+2068 … U+2069): its own direction does not leak into the sentence, so an
// English name in an Arabic sentence (or the reverse) keeps both in order. No side effects: the
// end-to-end tests word their expectations with it too.

/** Parameters that carry text people wrote (names, tags, a group's name, a message). */
const USER_TEXT_PARAMS: ReadonlySet<string> = new Set(['name', 'people', 'tag', 'tags', 'pet', 'username', 'text', 'group']);

/** `params` with each user-written string isolated; numbers and interface text as they are. */
export function isolated(params: Record<string, string | number> = {}): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [
      name,
      USER_TEXT_PARAMS.has(name) && typeof value === 'string' ? `\u2068${value}\u2069` : value,
    ]),
  );
}
