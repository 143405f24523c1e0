// A button that opens the file chooser (the input itself is hidden but labelled, so assistive
// technology and tests find it by its label). The same file can be picked twice in a row.
import type { JSX } from 'solid-js';

export function FilePicker(props: {
  label: string;
  accept: string;
  multiple?: boolean;
  disabled?: boolean;
  /** Shown instead of the label (which then only assistive technology reads). */
  icon?: string;
  onFiles: (files: File[]) => void;
}): JSX.Element {
  return (
    <label
      class={`file-picker button secondary${props.disabled ? ' disabled' : ''}`}
      title={props.icon === undefined ? undefined : props.label}
    >
      <input
        type="file"
        class="visually-hidden"
        accept={props.accept}
        multiple={props.multiple}
        disabled={props.disabled}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          if (files.length > 0) props.onFiles(files);
        }}
      />
      {props.icon === undefined ? (
        props.label
      ) : (
        <>
          <span aria-hidden="true">{props.icon}</span>
          <span class="visually-hidden">{props.label}</span>
        </>
      )}
    </label>
  );
}
