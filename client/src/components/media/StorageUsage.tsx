// What the user's media take of their storage quota (`media.quota`): a bar and "730 MB used of
// 5 GB", and their ready and failed media (`media.list`), each with a delete button
// (`media.delete`, whose answer is the quota after). The bar reloads when one of the user's media
// becomes ready or fails, the moments the number moves. A media still shown somewhere is refused
// (MEDIA_IN_USE) and stays listed, with the reason in a toast.
import { createResource, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { formatBytes, formatRelative, t } from '../../i18n/index.ts';
import { type MediaItem, remember } from '../../state/media.ts';
import { failureText } from '../../state/mediaText.ts';
import { actions, errorText } from '../../state/store.ts';
import { LoadMore } from '../LoadMore.tsx';
import { usePages } from '../usePages.ts';
import { MediaView } from './MediaView.tsx';

const kindLabel = (media: MediaItem) => t(media.kind === 'image' ? 'media.image' : media.kind === 'voice' ? 'media.voice' : 'media.video');

export function StorageUsage(): JSX.Element {
  const [quota, { refetch, mutate }] = createResource(() => actions.call('media.quota', {}));
  const pages = usePages(async (cursor) => {
    const page = await actions.call('media.list', { cursor });
    for (const item of page.items) remember(item);
    return page;
  });
  onMount(() => void pages.reload());
  const stop = actions.onUserEvent((event) => {
    const status = event.name === 'media.changed' ? (event.body as { media: MediaItem }).media.status : undefined;
    if (status === 'ready' || status === 'failed') void refetch();
  });
  onCleanup(stop);
  const remove = async (media: MediaItem) => {
    try {
      mutate(await actions.call('media.delete', { mediaId: media.id }));
      pages.setItems((items) => items.filter((item) => item.id !== media.id));
      actions.toast(t('storage.deleted'));
    } catch (error) {
      actions.toast(errorText(error), 'error');
    }
  };
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
      <ul class="uploads" data-testid="my-media">
        <For each={pages.items()}>
          {(media) => (
            <li class={`upload ${media.status}`} data-testid="my-media-item">
              <Show when={media.status === 'ready'} fallback={<span class="upload-kind" aria-hidden="true" />}>
                <MediaView id={media.id} layout="thumb" alt={kindLabel(media)} />
              </Show>
              <div class="upload-info">
                <small>
                  {kindLabel(media)} · {formatRelative(media.createdAt)}
                </small>
                <Show when={media.status === 'failed'}>
                  <small class="error">{failureText(media)}</small>
                </Show>
              </div>
              <button
                type="button"
                class="secondary"
                aria-label={t('storage.deleteItem', { kind: kindLabel(media), when: formatRelative(media.createdAt) })}
                onClick={() => void remove(media)}
              >
                {t('storage.delete')}
              </button>
            </li>
          )}
        </For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('storage.none')} />
    </section>
  );
}
