// One upload from a file to ready media, for every screen that takes photos, videos or voice
// notes. Bytes go in chunks (PUT <uploadUrl>?offset=N) from where the server says the upload
// stands: after a failed chunk or a lost connection the upload asks (GET <uploadUrl>) and goes on
// from `received`, waiting longer after each failure; a 409 OFFSET_MISMATCH is the same question
// answered early. Once complete, the server processes the file and reports each step as
// `media.changed` on the user's topic (a slow poll of `media.get` covers events missed while the
// socket reconnected). The phases: sending (bytes) → processing (percent) → ready | failed, or
// cancelled by the user (an unfinished upload is then given up on the server too, DELETE
// <uploadUrl>, so it stops counting against the user's limits). On S3 the server also offers a direct upload URL; chunks work everywhere,
// so the client always uses them.
import { createSignal, getOwner, onCleanup } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { EventFrame } from '../../../protocol/client.ts';
import { MEDIA_LIMITS } from '../../../protocol/lists.ts';
import { ApiError } from '../api/http.ts';
import { t } from '../i18n/index.ts';
import { type MediaItem, remember } from './media.ts';
import { failureText } from './mediaText.ts';
import { actions, errorText } from './store.ts';

/** What this client uploads: every kind (a reel from the reel screen). */
export type MediaKind = MediaItem['kind'];

interface UploadState {
  phase: 'sending' | 'processing' | 'ready' | 'failed' | 'cancelled';
  /** Bytes the server holds. */
  sent: number;
  total: number;
  /** Processing, 0–100, once all bytes are there. */
  progress: number;
  media: MediaItem | undefined;
  /** Why it failed, in the user's language. */
  error: string | undefined;
}

export interface Upload {
  readonly state: UploadState;
  readonly kind: MediaKind;
  readonly name: string;
  /** The ready media; undefined when the upload failed (`state.error` says why) or was cancelled. */
  readonly done: Promise<MediaItem | undefined>;
  cancel(): void;
}

/** What an upload needs from the world; the app's by default, fakes in tests. */
export interface UploadDeps {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  token: () => Promise<string>;
  getMedia: (id: string) => Promise<MediaItem | undefined>;
  onMediaChanged: (listener: (media: MediaItem) => void) => () => void;
  sleep: (ms: number) => Promise<void>;
  /** Bytes per chunk: smaller than the server's maximum so progress moves and a retry resends little. */
  chunkBytes: number;
  /** Failed requests in a row before giving up. */
  attempts: number;
  pollMs: number;
}

const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 15_000;

const appDeps = (): UploadDeps => ({
  fetch: (url, init) => fetch(url, init),
  token: actions.token,
  getMedia: async (id) => (await actions.call('media.get', { ids: [id] })).items[0],
  onMediaChanged: (listener) =>
    actions.onUserEvent((event: EventFrame) => {
      if (event.name === 'media.changed') listener((event.body as { media: MediaItem }).media);
    }),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  chunkBytes: 1024 * 1024,
  attempts: 8,
  pollMs: 5000,
});

class Cancelled extends Error {}

const backoff = (failures: number) => Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));

/** A refusal worth retrying: the network, a timeout, or the server having a bad moment. */
const retryable = (error: unknown) =>
  error instanceof ApiError && (error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500);

async function request<T>(deps: UploadDeps, method: string, url: string, body?: Blob | string, type?: string): Promise<T> {
  let response: Response;
  try {
    response = await deps.fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${await deps.token()}`,
        ...(type === undefined ? {} : { 'content-type': type }),
      },
      ...(body === undefined ? {} : { body }),
    });
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw new ApiError('NETWORK', (cause as Error).message, 0);
  }
  // 204 (a cancel) has no body.
  const payload = (response.status === 204 ? {} : await response.json().catch(() => ({}))) as {
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
  if (!response.ok) {
    const error = payload.error ?? { code: 'UNKNOWN', message: response.statusText };
    throw new ApiError(error.code, error.message, response.status, error.details);
  }
  return payload as T;
}

/** The largest file of a kind the server takes. */
export const maxBytes = (kind: MediaKind) => MEDIA_LIMITS[kind].bytes;

/** Which kind a picked file is (images and videos; anything else is refused before uploading). */
export function kindOf(file: Blob): 'image' | 'video' | undefined {
  if (file.type.startsWith('image/')) return 'image';
  if (file.type.startsWith('video/')) return 'video';
  return undefined;
}

export function startUpload(file: Blob, kind: MediaKind, overrides: Partial<UploadDeps> = {}): Upload {
  const deps = { ...appDeps(), ...overrides };
  const [state, setState] = createStore<UploadState>({
    phase: 'sending',
    sent: 0,
    total: file.size,
    progress: 0,
    media: undefined,
    error: undefined,
  });
  let cancelled = false;
  /** Where the server keeps the upload, once started; cleared once it is completed. */
  let uploadUrl: string | undefined;
  let settle: ((media: MediaItem | undefined) => void) | undefined;
  const done = new Promise<MediaItem | undefined>((resolve) => {
    settle = resolve;
  });
  const checkCancelled = () => {
    if (cancelled) throw new Cancelled();
  };

  /** Runs `work` until it succeeds, waiting longer after each retryable failure. */
  async function persist<T>(work: () => Promise<T>): Promise<T> {
    for (let failures = 0; ; ) {
      checkCancelled();
      try {
        return await work();
      } catch (error) {
        if (!retryable(error)) throw error;
        failures += 1;
        if (failures >= deps.attempts) throw error;
        await deps.sleep(backoff(failures));
      }
    }
  }

  /** The media's newest state: processing moves on, and it ends ready or failed. */
  function apply(media: MediaItem) {
    if (cancelled || media.id !== state.media?.id) return;
    remember(media);
    if (media.status === 'ready') {
      setState({ phase: 'ready', media, progress: 100 });
      finish();
      settle?.(media);
    } else if (media.status === 'failed') {
      setState({ phase: 'failed', media, error: failureText(media) });
      finish();
      settle?.(undefined);
    } else if (media.status === 'processing') {
      setState({ phase: 'processing', media, sent: media.size, progress: Math.max(state.progress, media.progress) });
    }
  }

  const stopListening = deps.onMediaChanged(apply);
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const finish = () => {
    stopListening();
    clearTimeout(pollTimer);
  };

  async function upload(): Promise<void> {
    if (file.size > maxBytes(kind)) throw new ApiError('TOO_LARGE', `at most ${maxBytes(kind)} bytes`, 400);
    const started = await persist(() =>
      request<{ media: MediaItem; chunkBytes: number; uploadUrl: string }>(
        deps,
        'POST',
        '/media/uploads',
        JSON.stringify({ kind, size: file.size }),
        'application/json',
      ),
    );
    setState('media', started.media);
    uploadUrl = started.uploadUrl;
    // Cancelled while the start was on its way: give the new upload up at once.
    if (cancelled) discard();
    const chunk = Math.max(1, Math.min(deps.chunkBytes, started.chunkBytes));
    let offset = started.media.received;
    const where = async () => {
      const { media } = await request<{ media: MediaItem }>(deps, 'GET', started.uploadUrl);
      offset = media.received;
      setState('sent', offset);
    };
    for (let failures = 0; offset < file.size; ) {
      checkCancelled();
      const at = offset;
      try {
        const { received } = await request<{ received: number }>(
          deps,
          'PUT',
          `${started.uploadUrl}?offset=${at}`,
          file.slice(at, Math.min(file.size, at + chunk)),
          'application/octet-stream',
        );
        offset = received;
        setState('sent', offset);
        failures = 0;
      } catch (error) {
        // The server stands elsewhere (an earlier try of this chunk did arrive): go on from there.
        if (error instanceof ApiError && error.code === 'OFFSET_MISMATCH') {
          await persist(where);
          continue;
        }
        if (!retryable(error)) throw error;
        failures += 1;
        if (failures >= deps.attempts) throw error;
        await deps.sleep(backoff(failures));
        checkCancelled();
        // The chunk may have arrived although its answer did not.
        await persist(where);
      }
    }
    checkCancelled();
    // From here the server processes it: nothing to give up.
    uploadUrl = undefined;
    const { media } = await persist(() => request<{ media: MediaItem }>(deps, 'POST', `${started.uploadUrl}/complete`));
    setState({ phase: 'processing', sent: file.size });
    apply(media);
    const poll = async () => {
      if (cancelled || state.phase !== 'processing') return;
      try {
        const latest = await deps.getMedia(media.id);
        if (latest !== undefined) apply(latest);
      } catch {
        // The next poll (or the live event) tells; the socket may be reconnecting.
      }
      if (state.phase === 'processing' && !cancelled) pollTimer = setTimeout(poll, deps.pollMs);
    };
    if (state.phase === 'processing') pollTimer = setTimeout(poll, deps.pollMs);
  }

  /** Gives the unfinished upload up on the server (its row and chunks go), once. A failure is
   * shown; the server also removes uploads left unfinished for a day. */
  function discard() {
    const url = uploadUrl;
    if (url === undefined) return;
    uploadUrl = undefined;
    (async () => {
      for (let failures = 0; ; ) {
        try {
          return await request(deps, 'DELETE', url);
        } catch (error) {
          // Completed meanwhile, or already gone: nothing is left to give up.
          if (error instanceof ApiError && (error.code === 'UPLOAD_FINISHED' || error.code === 'NOT_FOUND')) return;
          failures += 1;
          if (!retryable(error) || failures >= deps.attempts) throw error;
          await deps.sleep(backoff(failures));
        }
      }
    })().catch((error: unknown) => actions.toast(errorText(error), 'error'));
  }

  upload().catch((error: unknown) => {
    finish();
    if (error instanceof Cancelled) return;
    setState({ phase: 'failed', error: errorText(error) });
    settle?.(undefined);
  });
  return {
    state,
    kind,
    name: file instanceof File ? file.name : '',
    done,
    cancel() {
      if (state.phase === 'ready' || state.phase === 'failed') return;
      cancelled = true;
      setState('phase', 'cancelled');
      finish();
      discard();
      settle?.(undefined);
    },
  };
}

/** Follows a media the server makes (reels.compose) until it is ready (resolved) or failed
 * (rejected with the reason in words), telling `onProgress` how far its processing is: live
 * `media.changed` events, and a slow poll for those missed while the socket reconnected. */
export function followMedia(id: string, onProgress: (percent: number) => void, overrides: Partial<UploadDeps> = {}): Promise<MediaItem> {
  const deps = { ...appDeps(), ...overrides };
  return new Promise((resolve, reject) => {
    let over = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const apply = (media: MediaItem) => {
      if (over || media.id !== id) return;
      remember(media);
      if (media.status === 'ready') {
        end();
        resolve(media);
      } else if (media.status === 'failed') {
        end();
        reject(new Error(failureText(media)));
      } else onProgress(media.progress);
    };
    const stop = deps.onMediaChanged(apply);
    const end = () => {
      over = true;
      stop();
      clearTimeout(timer);
    };
    const poll = async () => {
      try {
        const latest = await deps.getMedia(id);
        if (latest !== undefined) apply(latest);
      } catch {
        // The next poll (or the live event) tells; the socket may be reconnecting.
      }
      if (!over) timer = setTimeout(poll, deps.pollMs);
    };
    void poll();
  });
}

/** The uploads of one form (a post, a message): files picked are checked and start at once. */
export function createUploadList(
  limit: number,
  kinds: readonly ('image' | 'video')[] = ['image', 'video'],
  overrides: Partial<UploadDeps> = {},
) {
  const [uploads, setUploads] = createSignal<Upload[]>([]);
  const live = () => uploads().filter((upload) => upload.state.phase !== 'cancelled');
  // A form that goes away takes its unfinished uploads with it.
  if (getOwner() !== null)
    onCleanup(() => {
      for (const upload of uploads()) upload.cancel();
    });
  return {
    uploads: live,
    /** Starts the files that are images or videos of an acceptable size, up to the limit; says why others are left out. */
    add(files: readonly File[]): void {
      const room = limit - live().length;
      if (files.length > room) actions.toast(t('media.tooMany', { count: limit }), 'error');
      for (const file of files.slice(0, Math.max(0, room))) {
        const kind = kindOf(file);
        if (kind === undefined || !kinds.includes(kind)) actions.toast(t('media.wrongType'), 'error');
        else if (file.size > maxBytes(kind)) actions.toast(t('media.tooLarge', { size: `${maxBytes(kind) / 1024 / 1024} MB` }), 'error');
        else setUploads((all) => [...all, startUpload(file, kind, overrides)]);
      }
    },
    push(upload: Upload): void {
      setUploads((all) => [...all, upload]);
    },
    remove(upload: Upload): void {
      upload.cancel();
      setUploads((all) => all.filter((each) => each !== upload));
    },
    clear(): void {
      for (const upload of uploads()) if (upload.state.phase !== 'ready') upload.cancel();
      setUploads([]);
    },
    /** The ids of the ready media, in the order picked. */
    readyIds: () => live().flatMap((upload) => (upload.state.phase === 'ready' && upload.state.media ? [upload.state.media.id] : [])),
    /** Some upload is still sending or processing. */
    busy: () => live().some((upload) => upload.state.phase === 'sending' || upload.state.phase === 'processing'),
  };
}
