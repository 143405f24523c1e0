// A labelled form field; the label is tied to the input for screen readers and tap targets.
import type { JSX } from 'solid-js';

export function Field(props: {
  label: string;
  name: string;
  type?: string;
  value: string;
  onInput: (value: string) => void;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
}): JSX.Element {
  const id = `field-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        autocomplete={props.autocomplete}
        required={props.required ?? true}
        aria-describedby={props.hint === undefined ? undefined : `${id}-hint`}
      />
      {props.hint !== undefined && (
        <small id={`${id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}
