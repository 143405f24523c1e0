// Mentions and hashtags in post and comment text. `@name` is a mention when `name` is a possible
// username (3 to 30 of a-z, 0-9, "." and "_", not starting with "." or "_", case ignored) and the
// "@" does not follow a letter, digit or "_" (so emails are not mentions). `#tag` is a hashtag
// when it holds 1 to 50 letters, digits or "_" with at least one letter and the "#" does not follow
// a word character; tags are grouped folded (lower case, accents removed: #Café = #cafe).
// Offsets are UTF-16 indices into the text, as JavaScript and the web client count them.
import { fold } from '../people/summaries.ts';

export interface TextEntity {
  type: 'mention' | 'hashtag';
  start: number;
  end: number;
  /** Username (lower case) or folded tag. */
  value: string;
}

const MENTION = /(?<![\p{L}\p{N}_@])@([A-Za-z0-9][A-Za-z0-9._]{2,29})/gu;
const HASHTAG = /(?<![\p{L}\p{N}_#&])#([\p{L}\p{N}_\p{M}]{1,50})(?![\p{L}\p{N}_\p{M}])/gu;

const MAX_MENTIONS = 50;
const MAX_HASHTAGS = 30;

export function parseEntities(text: string): TextEntity[] {
  const entities: TextEntity[] = [];
  for (const match of text.matchAll(MENTION)) {
    // A username does not end with "."; a sentence does ("thanks @ana.").
    const name = (match[1] as string).replace(/\.+$/, '');
    if (name.length < 3 || name.includes('..')) continue;
    const start = match.index as number;
    entities.push({ type: 'mention', start, end: start + 1 + name.length, value: name.toLowerCase() });
  }
  for (const match of text.matchAll(HASHTAG)) {
    const raw = match[1] as string;
    if (!/\p{L}/u.test(raw)) continue;
    const start = match.index as number;
    entities.push({ type: 'hashtag', start, end: start + 1 + raw.length, value: fold(raw) });
  }
  return entities.sort((a, b) => a.start - b.start);
}

/** The distinct mentioned usernames and hashtags, in order of appearance, within the limits. */
export function mentionsAndTags(text: string): { mentions: string[]; hashtags: string[] } {
  const entities = parseEntities(text);
  const distinct = (type: TextEntity['type'], max: number) =>
    [...new Set(entities.filter((e) => e.type === type).map((e) => e.value))].slice(0, max);
  return { mentions: distinct('mention', MAX_MENTIONS), hashtags: distinct('hashtag', MAX_HASHTAGS) };
}

/** A tag as a caller typed it ("#Perros", "perros") in the form tags are grouped by; undefined if it is none. */
export function normalizeTag(input: string): string | undefined {
  const tag = input.startsWith('#') ? input.slice(1) : input;
  const [entity] = parseEntities(`#${tag}`);
  return entity !== undefined && entity.start === 0 && entity.end === tag.length + 1 ? entity.value : undefined;
}
