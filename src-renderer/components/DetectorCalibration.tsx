// An ATK-GAN's attacked/clean threshold: what it is now (0.5 until calibrated), and a control that sets it
// on the model's own validation split to a chosen false-alarm rate (the `models.calibrate` job).
import { useState } from 'react';
import { attackThreshold, type ModelEntry } from '../../src-shared/contract/index.ts';
import { useApi, useJob } from '../api/hooks.ts';
import { JobProgress } from './JobProgress.tsx';

const RATES = [0.01, 0.02, 0.05, 0.1] as const;
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** What a calibration measured, in the words the run detail and the live run both use. */
export function detectorFigures(d: { beats: number; falseAlarmRate: number; detectionRate: number; eps: number }): string {
  return `on ${d.beats} validation beats: ${pct(d.falseAlarmRate)} of clean beats flagged, ${pct(d.detectionRate)} of FGSM ε=${d.eps} copies.`;
}

export function DetectorCalibration({ model, onDone }: { model: ModelEntry; onDone: () => void }) {
  const api = useApi();
  const { job, start, error } = useJob(onDone);
  const [rate, setRate] = useState<number>(0.05);
  const d = model.card.detector;
  const running = job !== null && (job.state === 'running' || job.state === 'queued');
  return (
    <div className="detector-calibration" data-testid="detector-calibration">
      <p data-testid="detector-threshold">
        Attack detector of {model.name}: flags a beat when P(attacked) &gt; {attackThreshold(model.card).toFixed(4)}
        {d
          ? ` — calibrated ${new Date(d.calibratedAt).toLocaleString()} ${detectorFigures(d)}`
          : ' (not calibrated).'}
      </p>
      <div className="form-actions">
        <label>
          False alarms on clean beats{' '}
          <select value={rate} onChange={(e) => setRate(Number(e.target.value))} disabled={running}>
            {RATES.map((r) => (
              <option key={r} value={r}>
                {pct(r)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={running} onClick={() => void start(() => api.call('models.calibrate', { model: model.name, falseAlarmRate: rate }))}>
          Calibrate detector
        </button>
      </div>
      {job ? <JobProgress job={job} onCancel={() => void api.call('jobs.cancel', { id: job.id })} /> : null}
      {error ? <p className="error-text">{error}</p> : null}
    </div>
  );
}
