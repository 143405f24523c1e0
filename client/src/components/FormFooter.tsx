// The end of every form: the failure (announced to screen readers) and the submit button, which
// says it is working while the request runs.
import { type JSX, Show } from 'solid-js';
import { t } from '../i18n/index.ts';

export function FormFooter(props: { busy: boolean; error: string | undefined; label: string }): JSX.Element {
  return (
    <>
      <Show when={props.error}>
        {(text) => (
          <p role="alert" class="error">
            {text()}
          </p>
        )}
      </Show>
      <button type="submit" disabled={props.busy}>
        {props.busy ? t('form.working') : props.label}
      </button>
    </>
  );
}
