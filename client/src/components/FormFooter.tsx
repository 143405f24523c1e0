// The end of every form: the failure (announced to screen readers) and the submit button, which
// says it is working while the request runs.
import { type JSX, Show } from 'solid-js';
import { t } from '../i18n/index.ts';

/** A failure, announced to screen readers; nothing while there is none. */
export function ErrorAlert(props: { text: string | undefined }): JSX.Element {
  return (
    <Show when={props.text}>
      {(text) => (
        <p role="alert" class="error">
          {text()}
        </p>
      )}
    </Show>
  );
}

export function FormFooter(props: { busy: boolean; error: string | undefined; label: string }): JSX.Element {
  return (
    <>
      <ErrorAlert text={props.error} />
      <button type="submit" disabled={props.busy}>
        {props.busy ? t('form.working') : props.label}
      </button>
    </>
  );
}
