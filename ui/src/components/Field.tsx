import type { ComponentChildren } from 'preact';

/** A labelled form field with its hint and, when invalid, the message next to it. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field ${props.error ? 'field-invalid' : ''} ${props.class ?? ''}`}>
      <label for={props.id}>
        {props.label}
        {props.required && <span class="required" aria-hidden="true"> *</span>}
      </label>
      {props.children}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : (
        props.hint && <p class="field-hint">{props.hint}</p>
      )}
    </div>
  );
}
