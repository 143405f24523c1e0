// The media refusals and failures in the user's language, with their numbers: an upload refused
// (TOO_MANY_UPLOADS, QUOTA_EXCEEDED, TOO_MANY_PIXELS), a delete refused (MEDIA_IN_USE, with what
// still shows the media) and a media that failed in processing (its
// failureCode and failureDetails). The server's own English `failure` is the last resort.
import { formatBytes, formatDuration, formatNumber, locale, t } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/messages/en.ts';
import type { MediaItem } from './media.ts';

type Numbers = Record<string, unknown>;

/** What still shows a media (MEDIA_IN_USE's `usedBy`), as words. */
const USES: Record<string, MessageKey> = {
  post: 'media.usedBy.post',
  pet: 'media.usedBy.pet',
  profile: 'media.usedBy.profile',
  conversation: 'media.usedBy.conversation',
  message: 'media.usedBy.message',
};

const numberIn = (details: Numbers, name: string): number | undefined =>
  typeof details[name] === 'number' ? (details[name] as number) : undefined;

/** The text of a media refusal `code` with its `details`; undefined when the code is not one of them. */
export function refusalText(code: string, details: Numbers): string | undefined {
  const limit = numberIn(details, 'limit');
  const maxPixels = numberIn(details, 'maxPixels');
  const used = numberIn(details, 'usedBytes');
  const quota = numberIn(details, 'quotaBytes');
  if (code === 'TOO_MANY_UPLOADS' && limit !== undefined)
    return t(details.state === 'processing' ? 'media.tooManyProcessing' : 'error.TOO_MANY_UPLOADS', { limit: formatNumber(limit) });
  if (code === 'QUOTA_EXCEEDED' && used !== undefined && quota !== undefined)
    return t('error.QUOTA_EXCEEDED', { used: formatBytes(used), quota: formatBytes(quota) });
  if (code === 'TOO_MANY_PIXELS' && maxPixels !== undefined)
    return t('error.TOO_MANY_PIXELS', { megapixels: formatNumber(maxPixels / 1_000_000, 1) });
  if (code === 'MEDIA_IN_USE' && Array.isArray(details.usedBy)) {
    const places = (details.usedBy as unknown[]).flatMap((use) =>
      typeof use === 'string' && use in USES ? [t(USES[use] as MessageKey)] : [],
    );
    return t('error.MEDIA_IN_USE', { places: new Intl.ListFormat(locale(), { type: 'conjunction' }).format(places) });
  }
  return undefined;
}

const FAILURES: Record<string, MessageKey> = {
  CONTAINER_MISMATCH: 'media.failure.CONTAINER_MISMATCH',
  MEDIA_TIMEOUT: 'media.failure.MEDIA_TIMEOUT',
  POISON_FILE: 'media.failure.POISON_FILE',
  PROCESSING_FAILED: 'media.failure.PROCESSING_FAILED',
};

/** Why a media failed, in the user's language. */
export function failureText(media: Pick<MediaItem, 'failure' | 'failureCode' | 'failureDetails'>): string {
  const code = media.failureCode ?? '';
  const details = media.failureDetails ?? {};
  const maxDurationMs = numberIn(details, 'maxDurationMs');
  if (code === 'TOO_LONG' && maxDurationMs !== undefined) return t('media.failure.TOO_LONG', { duration: formatDuration(maxDurationMs) });
  const refused = refusalText(code, details);
  if (refused !== undefined) return refused;
  const key = FAILURES[code];
  if (key !== undefined) return t(key);
  return media.failure ?? t('media.failure.PROCESSING_FAILED');
}
