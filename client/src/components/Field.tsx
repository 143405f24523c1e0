// Labelled form fields; each label is tied to its control for screen readers and tap targets.
// `Field` is the sign-in forms' input (its id comes from its name, it is required by default);
// the others are the editors' fields, with the id given and `invalid` (true, or left out) for
// the field a refused save names.
import { type JSX, splitProps } from 'solid-js';
import { t } from '../i18n/index.ts';

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

/** A password being chosen (sign-up, reset), with the rules under it. */
export function NewPasswordField(props: { label: string; value: string; onInput: (value: string) => void }): JSX.Element {
  return (
    <Field
      label={props.label}
      name="password"
      type="password"
      value={props.value}
      onInput={props.onInput}
      autocomplete="new-password"
      hint={t('form.passwordHint')}
    />
  );
}

type Labelled = { id: string; label: string; value: string; invalid?: boolean };
const OWN = ['id', 'label', 'value', 'invalid', 'onInput', 'children'] as const;

/** A text input; other input attributes pass through, and `children` follow it (a datalist). */
export function InputField(
  props: Labelled & { onInput: (value: string) => void; children?: JSX.Element } & Omit<
      JSX.InputHTMLAttributes<HTMLInputElement>,
      (typeof OWN)[number]
    >,
): JSX.Element {
  const [own, rest] = splitProps(props, OWN);
  return (
    <div class="field">
      <label for={own.id}>{own.label}</label>
      <input
        id={own.id}
        value={own.value}
        aria-invalid={own.invalid}
        onInput={(event) => own.onInput(event.currentTarget.value)}
        {...rest}
      />
      {own.children}
    </div>
  );
}

export function TextAreaField(
  props: Labelled & { onInput: (value: string) => void; maxlength: number; rows: number; describedBy?: string },
): JSX.Element {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        dir="auto"
        maxlength={props.maxlength}
        rows={props.rows}
        value={props.value}
        aria-invalid={props.invalid}
        aria-describedby={props.describedBy}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}

/** A select; its options are the children. */
export function SelectField(props: Labelled & { onChange: (value: string) => void; children: JSX.Element }): JSX.Element {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        aria-invalid={props.invalid}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        {props.children}
      </select>
    </div>
  );
}

/** A checkbox with its label around it; `switch` for a setting that takes effect at once (announced as on/off). */
export function CheckField(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  switch?: boolean;
}): JSX.Element {
  return (
    <label class="check">
      <input
        type="checkbox"
        role={props.switch ? 'switch' : undefined}
        checked={props.checked}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      {props.label}
    </label>
  );
}
