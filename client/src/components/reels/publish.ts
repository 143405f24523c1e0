// Posting a reel, step by step, each step shown with its progress: the clip is uploaded (as a
// `reel` when it is posted as it is, as a `video` when the server makes the reel from it), then
// reels.compose makes the reel (trim, filter, sound, duet or stitch) and its processing is
// followed, then reels.create posts it. A retry goes on from the step that failed: what was
// uploaded or made is kept, and the same clientIds are sent, so nothing is made or posted twice.
import { createStore } from 'solid-js/store';
import type { CallRequest, CallResponse } from '../../../../protocol/catalogue.ts';
import { ProtocolError } from '../../../../protocol/client.ts';
import { t } from '../../i18n/index.ts';
import type { MediaItem } from '../../state/media.ts';
import { actions, errorField, errorText } from '../../state/store.ts';
import { followMedia, startUpload, type Upload } from '../../state/uploads.ts';
import { type Choices, composeRequest } from './compose.ts';

export type Reel = CallResponse<'reels.create'>;
export type Details = Omit<CallRequest<'reels.create'>, 'mediaId' | 'clientId'>;
export type Step = 'idle' | 'uploading' | 'composing' | 'processing' | 'posting' | 'done' | 'failed';

export interface PublishDeps {
  upload: (file: Blob, kind: 'video' | 'reel') => Upload;
  compose: (request: CallRequest<'reels.compose'>) => Promise<CallResponse<'reels.compose'>>;
  follow: (mediaId: string, onProgress: (percent: number) => void) => Promise<MediaItem>;
  create: (request: CallRequest<'reels.create'>) => Promise<Reel>;
}

const appDeps: PublishDeps = {
  upload: (file, kind) => startUpload(file, kind),
  compose: (request) => actions.call('reels.compose', request),
  follow: (mediaId, onProgress) => followMedia(mediaId, onProgress),
  create: (request) => actions.call('reels.create', request),
};

/** Words for the fields a refusal may name. */
const FIELDS = {
  trim: 'reelCreate.trim',
  clipMediaId: 'reelCreate.field.video',
  mediaId: 'reelCreate.field.video',
  sound: 'reelCreate.sound',
  duet: 'reelCreate.duet',
  stitch: 'reelCreate.stitch',
  filter: 'reelCreate.filters',
  coverMs: 'reelCreate.cover',
  caption: 'reelCreate.caption',
  soundTitle: 'reelCreate.soundTitle',
  audience: 'reelCreate.audience',
  petId: 'composer.postAs',
} as const;

/** A failure of posting a reel in the user's language; the reel's own refusals are worded here. */
export function reelErrorText(error: unknown): string {
  if (error instanceof ProtocolError) {
    if (error.code === 'REMIX_NOT_ALLOWED') return t('reelCreate.error.remixNotAllowed');
    if (error.code === 'RATE_LIMITED') return t('reelCreate.error.rateLimited');
    if (error.code === 'NOT_FOUND') return t('reelCreate.error.notFound');
    if (error.code === 'INVALID_INPUT') {
      const field = errorField(error);
      const key = field === undefined ? undefined : FIELDS[field as keyof typeof FIELDS];
      if (key !== undefined) return t('reelCreate.error.invalid', { field: t(key) });
    }
  }
  if (error instanceof Error && !(error instanceof ProtocolError) && error.message !== '' && !('code' in error)) return error.message;
  return errorText(error);
}

export function createPublisher(overrides: Partial<PublishDeps> = {}) {
  const deps = { ...appDeps, ...overrides };
  const [state, setState] = createStore({ step: 'idle' as Step, percent: 0, error: undefined as string | undefined });
  const createId = crypto.randomUUID();
  /** The compose clientId of each request: the same choices retried make the same media. */
  const composeIds = new Map<string, string>();
  let upload: { file: Blob; kind: 'video' | 'reel'; task: Upload } | undefined;
  let made: { key: string; mediaId: string } | undefined;

  const uploaded = async (file: Blob, kind: 'video' | 'reel'): Promise<MediaItem> => {
    if (upload === undefined || upload.file !== file || upload.kind !== kind || upload.task.state.phase === 'failed') {
      upload?.task.cancel();
      upload = { file, kind, task: deps.upload(file, kind) };
    }
    const task = upload.task;
    setState({ step: 'uploading', percent: 0 });
    const watch = setInterval(() => {
      const { sent, total, progress, phase } = task.state;
      // Sending is the first half of the bar, processing the second.
      setState('percent', Math.round(phase === 'sending' ? (sent / Math.max(1, total)) * 50 : 50 + progress / 2));
    }, 200);
    try {
      const media = await task.done;
      if (media === undefined) throw new Error(task.state.error ?? t('error.UNKNOWN'));
      return media;
    } finally {
      clearInterval(watch);
    }
  };

  /** Posts the reel; resolves with it, or with undefined after a failure (`state.error` says why). */
  async function publish(file: Blob, choices: Choices, details: Details): Promise<Reel | undefined> {
    setState({ error: undefined });
    try {
      const plain = composeRequest(choices, '') === undefined;
      const clip = await uploaded(file, plain ? 'reel' : 'video');
      let mediaId = clip.id;
      const request = composeRequest(choices, clip.id);
      if (request !== undefined) {
        const key = JSON.stringify(request);
        if (made?.key !== key) {
          setState({ step: 'composing', percent: 0 });
          const clientId = composeIds.get(key) ?? crypto.randomUUID();
          composeIds.set(key, clientId);
          const composed = await deps.compose({ ...request, clientId });
          setState({ step: 'processing', percent: 0 });
          await deps.follow(composed.mediaId, (percent) => setState('percent', percent));
          made = { key, mediaId: composed.mediaId };
        }
        mediaId = made.mediaId;
      }
      setState({ step: 'posting', percent: 100 });
      const reel = await deps.create({ ...details, mediaId, clientId: createId });
      setState({ step: 'done' });
      return reel;
    } catch (error) {
      setState({ step: 'failed', error: reelErrorText(error) });
      return undefined;
    }
  }

  return {
    state,
    publish,
    /** Gives an unfinished upload up (the screen went away). */
    cancel: () => upload?.task.cancel(),
  };
}
