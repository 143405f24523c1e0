// A modal dialog over the page: titled for screen readers, closed by its button or by Escape;
// focus moves into it when it opens and back where it was when it closes.
import { createUniqueId, type JSX, onCleanup, onMount } from 'solid-js';
import { Portal } from 'solid-js/web';
import { t } from '../i18n/index.ts';

export function Dialog(props: { title: string; onClose: () => void; children: JSX.Element; testId?: string }): JSX.Element {
  const id = createUniqueId();
  let box: HTMLDivElement | undefined;
  const before = document.activeElement as HTMLElement | null;
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') props.onClose();
  };
  onMount(() => {
    document.addEventListener('keydown', onKey);
    box?.querySelector<HTMLElement>('input, select, textarea, button:not(.close)')?.focus();
  });
  onCleanup(() => {
    document.removeEventListener('keydown', onKey);
    before?.focus();
  });
  return (
    <Portal>
      <div class="backdrop">
        <div ref={box} class="dialog card" role="dialog" aria-modal="true" aria-labelledby={`dialog-${id}`} data-testid={props.testId}>
          <div class="row spread">
            <h2 id={`dialog-${id}`}>{props.title}</h2>
            <button type="button" class="link close" aria-label={t('dialog.close')} onClick={() => props.onClose()}>
              ×
            </button>
          </div>
          {props.children}
        </div>
      </div>
    </Portal>
  );
}
