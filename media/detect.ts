// What a file is, from its first bytes only: never from its name or the type a client declares.
// Only the formats the pipeline accepts are recognised; anything else is undefined. A match here is
// the first gate; the full decode (sharp for images, ffprobe for video and audio) is the second.
// What is found here is also what ffmpeg is told the file is (`demuxer`): it never guesses.

/** What an upload is announced as. A reel is a video that must last as long as reels do; a blob
 * is a file encrypted on the device, which nothing here looks into. */
export const MEDIA_KINDS = ['image', 'video', 'voice', 'reel', 'blob'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
/** What content is found to be. */
type ContentKind = Exclude<MediaKind, 'reel' | 'blob'>;

export interface Detected {
  kind: ContentKind;
  /** The container as found: jpeg, png, webp, gif, heif, avif, mp4, quicktime, webm, ogg, wav, mp3, m4a. */
  format: string;
  mime: string;
}

/**
 * The ffmpeg demuxers a video or voice note may be opened with, and nothing else: none of them
 * opens another file or URL (no playlists: hls, concat/ffconcat, image2 sequences, …).
 */
export const DEMUXERS = ['mov', 'matroska', 'ogg', 'wav', 'mp3'] as const;
export type Demuxer = (typeof DEMUXERS)[number];

const DEMUXER_OF: Record<string, Demuxer> = {
  mp4: 'mov',
  quicktime: 'mov',
  m4a: 'mov',
  webm: 'matroska',
  ogg: 'ogg',
  wav: 'wav',
  mp3: 'mp3',
};

/** The demuxer ffmpeg must use for a container `detect` found; undefined for images and anything else. */
export function demuxerOf(format: string | null): Demuxer | undefined {
  return format !== null && Object.hasOwn(DEMUXER_OF, format) ? DEMUXER_OF[format] : undefined;
}

/** How many leading bytes `detect` needs. */
export const SNIFF_BYTES = 64;

const ascii = (bytes: Uint8Array, at: number, text: string) => {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const starts = (bytes: Uint8Array, signature: number[]) => signature.every((byte, i) => bytes[i] === byte);

/** ISO base media (ftyp box): the brand tells HEIF/AVIF images, QuickTime, audio-only MP4 and MP4 video apart. */
function isoMedia(bytes: Uint8Array): Detected | undefined {
  if (!ascii(bytes, 4, 'ftyp')) return undefined;
  const brand = String.fromCharCode(...bytes.slice(8, 12));
  if (['heic', 'heix', 'mif1', 'msf1', 'heim', 'heis'].includes(brand)) return { kind: 'image', format: 'heif', mime: 'image/heif' };
  if (brand === 'avif' || brand === 'avis') return { kind: 'image', format: 'avif', mime: 'image/avif' };
  if (brand === 'qt  ') return { kind: 'video', format: 'quicktime', mime: 'video/quicktime' };
  if (brand === 'M4A ' || brand === 'M4B ') return { kind: 'voice', format: 'm4a', mime: 'audio/mp4' };
  return { kind: 'video', format: 'mp4', mime: 'video/mp4' };
}

export function detect(head: Uint8Array): Detected | undefined {
  if (starts(head, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg', mime: 'image/jpeg' };
  if (starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', format: 'png', mime: 'image/png' };
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return { kind: 'image', format: 'gif', mime: 'image/gif' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return { kind: 'image', format: 'webp', mime: 'image/webp' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return { kind: 'voice', format: 'wav', mime: 'audio/wav' };
  if (starts(head, [0x1a, 0x45, 0xdf, 0xa3])) {
    // Matroska/WebM: MediaRecorder's voice notes are WebM too; which tracks it holds is ffprobe's call.
    return { kind: 'video', format: 'webm', mime: 'video/webm' };
  }
  if (ascii(head, 0, 'OggS')) return { kind: 'voice', format: 'ogg', mime: 'audio/ogg' };
  if (ascii(head, 0, 'ID3') || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0 && ((head[1] ?? 0) & 0x06) !== 0))
    return { kind: 'voice', format: 'mp3', mime: 'audio/mpeg' };
  return isoMedia(head);
}
