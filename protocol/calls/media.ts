// Media as the protocol shows them. Uploads travel over HTTP (PROTOCOL.md, "Media"); a media's
// progress reaches its owner's sessions as `media.changed` on `user:<id>`, and `media.get` gives
// the media the caller may see, with signed URLs for its files that last a few hours.

import { type CallSpec, Cursor, OneOf, Page, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const exampleMediaId = '0192a1b2-c3d4-7e5f-8a9b-0000000d1a00';

export const MediaItem = T.Object({
  id: Uuid,
  kind: OneOf(['image', 'video', 'voice', 'reel', 'blob'] as const, {
    description: 'blob: a file encrypted on the device, stored as it came (never decoded or transcoded), its one file `blob`',
  }),
  status: OneOf(['uploading', 'processing', 'ready', 'failed'] as const),
  progress: T.Integer({ minimum: 0, maximum: 100, description: 'Of the processing, once uploaded' }),
  failure: T.Union([T.String(), T.Null()], { description: 'Why it failed, when it did' }),
  failureCode: T.Union([T.String(), T.Null()], {
    description:
      'Why it failed, as a code to word in the user’s language: TOO_LONG, TOO_MANY_PIXELS, CONTAINER_MISMATCH, MEDIA_TIMEOUT, POISON_FILE (unreadable, or not what it claims), PROCESSING_FAILED (anything else); null unless failed',
  }),
  failureDetails: T.Union([T.Record(T.String(), T.Union([T.Number(), T.String()])), T.Null()], {
    description:
      'The numbers of the failure: maxDurationMs (TOO_LONG), maxPixels, width, height (TOO_MANY_PIXELS), timeoutMs (MEDIA_TIMEOUT), format (CONTAINER_MISMATCH)',
  }),
  size: T.Integer({ description: 'Bytes of the original, as announced' }),
  received: T.Integer({ description: 'Bytes of it uploaded so far' }),
  width: T.Union([T.Integer(), T.Null()]),
  height: T.Union([T.Integer(), T.Null()]),
  durationMs: T.Union([T.Integer(), T.Null()]),
  preview: T.Union([T.String(), T.Null()], { description: 'A tiny WebP data URL to show blurred while loading (images)' }),
  waveform: T.Union([T.Array(T.Integer({ minimum: 0, maximum: 255 })), T.Null()], { description: '64 peaks (voice notes)' }),
  urls: T.Union([T.Record(T.String(), T.String()), T.Null()], {
    description:
      'Ready media only: the files by name, as signed paths on this server that work for a few hours. Images: small|medium|large .webp and .jpg; videos: master.m3u8 (HLS) and thumb.jpg; voice notes: voice.ogg and voice.m4a; blobs: blob.',
  }),
  createdAt: T.String({ format: 'date-time' }),
});

export const exampleMedia = {
  id: exampleMediaId,
  kind: 'image',
  status: 'ready',
  progress: 100,
  failure: null,
  failureCode: null,
  failureDetails: null,
  size: 2_345_678,
  received: 2_345_678,
  width: 3000,
  height: 2000,
  durationMs: null,
  preview: 'data:image/webp;base64,UklGRkAAAABXRUJQVlA4IDQAAAD…',
  waveform: null,
  urls: { 'large.webp': `/media/files/1795500000/…/media/…/${exampleMediaId}/out/large.webp` },
  createdAt: '2026-11-24T18:00:00.000Z',
};

export const mediaCalls = {
  'media.get': {
    description:
      'Media by id: the caller’s own in any state, and ready ones shown by something the caller may see: a post (its visibility), a pet (its owner’s pets audience), a profile picture (unless a block stands), a conversation’s picture (members) or a message (members who joined before it was sent; not once deleted; a `blob` only this way). Other ids are left out, exactly like unknown ones.',
    role: 'user',
    errors: [],
    request: T.Object({ ids: T.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true }) }),
    response: T.Object({ items: T.Array(MediaItem) }),
    example: { request: { ids: [exampleMediaId] }, response: { items: [exampleMedia] } },
  },
  'media.quota': {
    description:
      'The caller’s stored media against their quota: renditions of ready media, originals of unfinished uploads. An upload that would pass it is refused with `QUOTA_EXCEEDED` (PROTOCOL.md, "Media").',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({
      usedBytes: T.Integer({ minimum: 0 }),
      quotaBytes: T.Integer({ minimum: 1 }),
    }),
    example: { request: {}, response: { usedBytes: 734_003_200, quotaBytes: 5_368_709_120 } },
  },
  'media.list': {
    description:
      'The caller’s own ready and failed media, newest first (uploads in progress are not listed): what `media.delete` can remove.',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ cursor: Cursor }),
    response: Page(MediaItem),
    example: { request: {}, response: { items: [exampleMedia], nextCursor: null } },
  },
  'media.delete': {
    description:
      'Delete one of your ready or failed media: its files go and its bytes stop counting against your quota at once; the answer is the quota after. Refused with `MEDIA_IN_USE` while something still shows it (`details.usedBy`: post, pet, profile, conversation, message; remove it from there first), with `MEDIA_NOT_READY` while it uploads or processes (cancel an unfinished upload with `DELETE /media/uploads/{id}`), and `NOT_FOUND` for a media that is not yours.',
    role: 'user',
    errors: ['NOT_FOUND', 'MEDIA_NOT_READY', 'MEDIA_IN_USE'],
    request: T.Object({ mediaId: Uuid }),
    response: T.Object({
      usedBytes: T.Integer({ minimum: 0 }),
      quotaBytes: T.Integer({ minimum: 1 }),
    }),
    example: { request: { mediaId: exampleMediaId }, response: { usedBytes: 731_657_522, quotaBytes: 5_368_709_120 } },
  },
} satisfies Record<string, CallSpec>;
