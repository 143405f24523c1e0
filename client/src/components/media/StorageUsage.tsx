// What the user's media take of their storage quota (`media.quota`): a bar and "730 MB used of
// 5 GB". It reloads when one of the user's media becomes ready or fails, the moments the number moves.
import { createResource, type JSX, onCleanup, Show } from 'solid-js';
import { formatBytes, t } from '../../i18n/index.ts';
import type { MediaItem } from '../../state/media.ts';
import { actions, errorText } from '../../state/store.ts';

export function StorageUsage(): JSX.Element {
  const [quota, { refetch }] = createResource(() => actions.call('media.quota', {}));
  const stop = actions.onUserEvent((event) => {
    const status = event.name === 'media.changed' ? (event.body as { media: MediaItem }).media.status : undefined;
    if (status === 'ready' || status === 'failed') void refetch();
  });
  onCleanup(stop);
  return (
    <section class="storage" aria-labelledby="storage-title" data-testid="storage">
      <h2 id="storage-title">{t('storage.title')}</h2>
      <Show when={quota.error === undefined} fallback={<p class="error">{errorText(quota.error)}</p>}>
        <Show when={quota()}>
          {(usage) => (
            <>
              <meter
                min={0}
                max={usage().quotaBytes}
                value={usage().usedBytes}
                high={usage().quotaBytes * 0.9}
                aria-labelledby="storage-title"
                aria-describedby="storage-used"
              />
              <p id="storage-used" data-testid="storage-used">
                {t('storage.used', { used: formatBytes(usage().usedBytes), quota: formatBytes(usage().quotaBytes) })}
              </p>
            </>
          )}
        </Show>
      </Show>
      <p class="hint">{t('storage.help')}</p>
    </section>
  );
}
