// A button that opens the file chooser (the input itself is hidden but labelled, so assistive
// technology and tests find it by its label). The same file can be picked twice in a row.
import type { LucideProps } from 'lucide-solid';
import type { Component, JSX } from 'solid-js';
import { Dynamic } from 'solid-js/web';

export function FilePicker(props: {
  label: string;
  accept: string;
  multiple?: boolean;
  disabled?: boolean;
  /** Shown instead of the label (which then only assistive technology reads). */
  icon?: Component<LucideProps>;
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
          <Dynamic component={props.icon} size={20} aria-hidden="true" />
          <span class="visually-hidden">{props.label}</span>
        </>
      )}
    </label>
  );
}
