// A file of an end-to-end encrypted message: its `blob` media is downloaded through its signed URL
// and decrypted here with the key the message carried, then shown from an object URL (a photo, a
// video, a voice note, or a download link for anything else, SVG and HTML included: an object URL
// has this origin, so a type that can run script is never given to one). Without the key (a device that cannot read
// the message) or when the bytes do not open, it says so instead.
import { createResource, type JSX, Match, onCleanup, Switch } from 'solid-js';
import type { SealedFile } from '../../../../protocol/e2ee.ts';
import { t } from '../../i18n/index.ts';
import { mediaItem } from '../../state/media.ts';

export function EncryptedAttachment(props: { id: string; file: SealedFile | undefined }): JSX.Element {
  const url = () => {
    const item = mediaItem(props.id);
    return item !== null && item !== undefined && item.status === 'ready' ? item.urls?.blob : undefined;
  };
  const made: string[] = [];
  onCleanup(() => {
    for (const objectUrl of made) URL.revokeObjectURL(objectUrl);
  });
  const [opened] = createResource(
    () => {
      const file = props.file;
      const from = url();
      return file !== undefined && from !== undefined ? { file, from } : undefined;
    },
    async ({ file, from }) => {
      const { openFile } = await import('../../state/e2ee.ts');
      const blob = await openFile(from, file);
      const objectUrl = URL.createObjectURL(blob);
      made.push(objectUrl);
      return { url: objectUrl, type: blob.type };
    },
  );
  const name = () => props.file?.name || t('media.blob');
  return (
    <Switch
      fallback={
        <span class="media-waiting" role="status" data-media-id={props.id}>
          …
        </span>
      }
    >
      <Match when={props.file === undefined || opened.error !== undefined || mediaItem(props.id) === null}>
        <span class="media-waiting" data-media-id={props.id} data-testid="encrypted-attachment-unreadable">
          🔒 {t('chats.fileUnreadable')}
        </span>
      </Match>
      <Match when={opened()}>
        {(shown) => (
          <Switch
            fallback={
              <a href={shown().url} download={name()} data-testid="encrypted-attachment">
                🔒 {name()}
              </a>
            }
          >
            <Match when={shown().type.startsWith('image/')}>
              <img src={shown().url} alt={t('media.image')} class="encrypted-image" data-testid="encrypted-attachment" />
            </Match>
            <Match when={shown().type.startsWith('video/')}>
              <video src={shown().url} controls playsinline preload="metadata" data-testid="encrypted-attachment">
                <track kind="captions" />
              </video>
            </Match>
            <Match when={shown().type.startsWith('audio/')}>
              <audio src={shown().url} controls preload="metadata" aria-label={t('media.voice')} data-testid="encrypted-attachment">
                <track kind="captions" />
              </audio>
            </Match>
          </Switch>
        )}
      </Match>
    </Switch>
  );
}
