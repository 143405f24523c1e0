// A modal dialog over the page (Kobalte's, for the accessibility details: focus moves into it
// and cannot leave it while it is open, Escape and the close button close it, the page behind
// does not scroll and is hidden from screen readers, and focus returns where it was). `returnFocus`
// names where focus goes when it closes instead, for a dialog whose action may remove the button
// that opened it. On phones it rises from the bottom as a sheet; from 768 px it is centred. Shown
// while rendered: the caller decides when.
import { Dialog as Kobalte } from '@kobalte/core/dialog';
import { X } from 'lucide-solid';
import type { JSX } from 'solid-js';
import { t } from '../i18n/index.ts';

export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: JSX.Element;
  testId?: string;
  returnFocus?: () => HTMLElement | undefined;
}): JSX.Element {
  return (
    <Kobalte open modal preventScroll onOpenChange={(open) => !open && props.onClose()}>
      <Kobalte.Portal>
        <Kobalte.Overlay class="backdrop" />
        <div class="dialog-position">
          <Kobalte.Content
            class="dialog card"
            data-testid={props.testId}
            onCloseAutoFocus={(event) => {
              const target = props.returnFocus?.();
              if (target === undefined) return;
              event.preventDefault();
              target.focus();
            }}
          >
            <div class="row spread dialog-head">
              <Kobalte.Title as="h2">{props.title}</Kobalte.Title>
              <Kobalte.CloseButton class="ui-icon-button ghost close" aria-label={t('dialog.close')}>
                <X size={20} aria-hidden="true" />
              </Kobalte.CloseButton>
            </div>
            {props.children}
          </Kobalte.Content>
        </div>
      </Kobalte.Portal>
    </Kobalte>
  );
}
