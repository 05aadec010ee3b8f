// A paper-scale choice (speed in mm/s, gain in mm/mV) as a labelled select; a value off the list
// (e.g. from a link) is shown as its own entry instead of silently becoming the first option.
export function ScaleSelect({ label, unit, options, value, onChange }: { label: string; unit: string; options: readonly number[]; value: number; onChange(value: string): void }) {
  const listed = options.includes(value);
  return (
    <label>
      {label}
      <select value={listed ? value : ''} onChange={(e) => onChange(e.target.value)}>
        {listed ? null : (
          <option value="">
            {value} {unit}
          </option>
        )}
        {options.map((o) => (
          <option key={o} value={o}>
            {o} {unit}
          </option>
        ))}
      </select>
    </label>
  );
}
