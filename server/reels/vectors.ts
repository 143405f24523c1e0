// Text vectors of reel captions, for the embedding term of the For You feed. The lexical embedding
// here is what a node uses without a model (REELS_MODEL_DIR unset; embedder.ts has both):
// documented and deterministic, nothing downloaded. Each word of the caption
// (lower case, accents removed, letters and digits, two characters or more; @mentions left out)
// adds 1 to one of LEXICAL_DIMENSIONS coordinates chosen by its FNV-1a hash, with a sign from
// another bit of the hash (so unrelated words cancel out on average instead of piling up); each
// of its character trigrams (of `#word#`) adds 0.3 the same way, so "perro" and "perros" land
// close; hashtags count twice. The vector is scaled to unit length; a caption with no words has
// none (null). Cosine similarity of two such vectors approximates their overlap of words and
// word parts, which is what the caption can say about a reel without a language model.

export const LEXICAL_DIMENSIONS = 64;
const TRIGRAM_WEIGHT = 0.3;
const HASHTAG_WEIGHT = 2;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function add(vector: number[], feature: string, weight: number) {
  const hash = fnv1a(feature);
  const at = hash % LEXICAL_DIMENSIONS;
  vector[at] = (vector[at] as number) + (hash >>> 31 === 1 ? -weight : weight);
}

/** The caption without its @mentions: usernames say nothing about the reel. */
export const withoutMentions = (text: string) => text.replace(/@[\p{L}\p{N}_.]+/gu, ' ');

/** Words of a caption as the embedding reads them. */
export function wordsOf(text: string): string[] {
  return withoutMentions(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => [...word].length >= 2);
}

export function lexicalEmbedding(text: string, hashtags: readonly string[]): number[] | null {
  const vector = new Array<number>(LEXICAL_DIMENSIONS).fill(0);
  const words = [...wordsOf(text), ...hashtags.flatMap((tag) => Array.from({ length: HASHTAG_WEIGHT - 1 }, () => tag))];
  if (words.length === 0) return null;
  for (const word of words) {
    add(vector, `w:${word}`, 1);
    const padded = `#${word}#`;
    for (let i = 0; i + 3 <= padded.length; i++) add(vector, `t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? null : vector.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}

/** Coordinates of a reel's collaborative half (als.ts factors). */
export const COLLAB_DIMENSIONS = 16;
/** Views at which a reel's collaborative half weighs as much as its caption. */
export const BLEND_VIEWS = 50;

/**
 * A reel's vector for the For You feed: its caption vector (`captionDimensions` long: the current
 * embedder's; one made by another embedder is passed as null) and its collaborative vector side by
 * side, scaled by √a and √(1 − a) where a = 1 / (1 + views / BLEND_VIEWS) is the caption's share,
 * so the result has unit length and the cosine of two such vectors mixes the two cosines. A reel
 * without a collaborative vector yet is its caption alone (a = 1), and one without words its
 * collaborative half alone; null when it has neither.
 */
export function blend(
  caption: readonly number[] | null,
  collab: readonly number[] | null,
  views: number,
  captionDimensions: number,
): number[] | null {
  if (caption === null && collab === null) return null;
  const share = collab === null ? 1 : caption === null ? 0 : 1 / (1 + views / BLEND_VIEWS);
  const textPart = caption ?? new Array<number>(captionDimensions).fill(0);
  const behaviourPart = collab ?? new Array<number>(COLLAB_DIMENSIONS).fill(0);
  return [...textPart.map((value) => value * Math.sqrt(share)), ...behaviourPart.map((value) => value * Math.sqrt(1 - share))];
}
