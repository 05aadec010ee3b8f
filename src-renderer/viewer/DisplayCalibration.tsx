// Display calibration: an on-screen 50 mm ruler the user matches against a real ruler.
import { DEFAULT_PX_PER_MM } from './geometry.ts';

export function DisplayCalibration({ value, onChange }: { value: number | null; onChange: (v: number | null) => void }) {
  const pxPerMm = value ?? DEFAULT_PX_PER_MM;
  return (
    <fieldset className="calibration">
      <legend>Display calibration (ECG paper in real millimetres)</legend>
      <p>Hold a ruler against the bar below and change the value until the bar is exactly 50 mm long.</p>
      <div className="ruler" data-testid="calibration-ruler" style={{ width: 50 * pxPerMm }} aria-hidden="true">
        {Array.from({ length: 11 }, (_, i) => (
          <span key={i} style={{ left: i * 5 * pxPerMm, height: i % 2 === 0 ? 14 : 8 }} />
        ))}
      </div>
      <label>
        Pixels per millimetre
        <input type="number" step={0.01} min={1} max={40} value={Number(pxPerMm.toFixed(3))} onChange={(e) => onChange(Number(e.target.value))} />
      </label>
      <button type="button" onClick={() => onChange(null)} disabled={value === null}>
        Use the default ({DEFAULT_PX_PER_MM.toFixed(2)} px/mm, 96 dpi)
      </button>
    </fieldset>
  );
}
