// The one number field of the app: amounts, percentages, whole numbers and FTE counts.
//
// It keeps exactly what the user types while it has the focus: nothing is parsed and
// written back per keystroke, so a decimal separator is never dropped (`2,5` stays `2,5`).
// When the user leaves the field, a readable number is rewritten in the language's format
// (`412500000` → `412.500.000` in Dutch); text that is not a number stays as typed so the
// message beside the field can refer to it. The form parses the text when it saves.
import { useI18n } from '../i18n';
import { normaliseNumberText, type NumberKind } from '../lib/parse';

export function NumberInput(props: {
  id: string;
  kind: NumberKind;
  text: string;
  onText: (text: string) => void;
  invalid?: boolean;
  disabled?: boolean;
  placeholder?: string;
  name?: string;
  label?: string;
  class?: string;
}) {
  const { lang } = useI18n();
  const { kind, text, onText, invalid } = props;
  return (
    <input
      id={props.id}
      class={props.class}
      name={props.name}
      disabled={props.disabled}
      placeholder={props.placeholder}
      aria-label={props.label}
      inputMode={kind === 'whole' ? 'numeric' : 'decimal'}
      autoComplete="off"
      value={text}
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? `${props.id}-error` : undefined}
      onInput={(e) => onText(e.currentTarget.value)}
      onBlur={() => {
        const normal = normaliseNumberText(kind, text, lang);
        if (normal !== text) onText(normal);
      }}
    />
  );
}
