/**
 * A row of buttons that picks one of a few values (a chart's range, a summary's grouping): every
 * choice in view at once, where a select would hide them.
 */
export function Choice<V extends string | number>({ label, options, value, onChange }: { label: string; options: readonly { value: V; label: string }[]; value: V; onChange: (value: V) => void }) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" className={`segment${o.value === value ? ' checked' : ''}`} aria-pressed={o.value === value} onClick={() => onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
