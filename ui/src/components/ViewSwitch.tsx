// Two or more ways to show the same records (list, board, table): pressed buttons in a group.
export function ViewSwitch<V extends string>(props: {
  label: string;
  value: V;
  options: { value: V; id: string; label: string }[];
  onChange: (v: V) => void;
}) {
  return (
    <div class="segmented" role="group" aria-label={props.label}>
      {props.options.map((o) => (
        <button
          type="button"
          id={o.id}
          aria-pressed={props.value === o.value}
          class={props.value === o.value ? 'active' : ''}
          onClick={() => props.value !== o.value && props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
