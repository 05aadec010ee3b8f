// Model predictions on the viewer: the "Classify record" control (default or chosen model, progress,
// cancel), the per-record summary (confusion against the reference labels), and the row of predicted
// classes drawn under the reference labels, with mismatches and beats flagged attacked highlighted.
import { useState } from 'react';
import { flagsAttacked, type Prediction, type RecordPredictions } from '../../src-shared/contract/index.ts';
import { useApi, useJob, useQuery } from '../api/hooks.ts';
import { CLASS_COLOURS } from './paper.ts';
import { xOfFrame, type Panel } from './geometry.ts';

export const isMismatch = (p: Prediction): boolean => p.reference !== null && p.reference !== p.predicted;
/** Flagged by the model's detector: P(attacked) above its (calibrated) threshold; never without a detector. */
export const isFlagged = (p: Prediction, threshold: number | null): boolean => flagsAttacked(p.attacked, threshold);

/** The predicted-class row: a red box behind a mismatch, an orange ring around a beat flagged attacked. */
export function drawPredictions(ctx: CanvasRenderingContext2D, p: Panel, preds: readonly Prediction[], y: number, threshold: number | null): void {
  ctx.font = 'bold 12px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  let lastX = -Infinity;
  for (const b of preds) {
    if (b.sample < p.from) continue;
    const x = xOfFrame(p, b.sample);
    if (x > p.x + p.w) break;
    if (isMismatch(b)) {
      ctx.fillStyle = 'rgba(211, 47, 47, 0.25)';
      ctx.fillRect(x - 7, y - 1, 14, 15);
    }
    if (isFlagged(b, threshold)) {
      ctx.strokeStyle = '#ef6c00';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x - 8, y - 2, 16, 17);
    }
    ctx.fillStyle = CLASS_COLOURS[b.predicted] ?? CLASS_COLOURS.Q!;
    if (x - lastX >= 14) {
      ctx.fillText(b.predicted, x, y);
      lastX = x;
    } else ctx.fillRect(x - 0.75, y + 2, 1.5, 8);
  }
  ctx.textAlign = 'start';
}

export function ClassifyPanel({ recordId, predictions, onClassified }: { recordId: number; predictions: RecordPredictions | null; onClassified: () => void }) {
  const api = useApi();
  const models = useQuery('models.list', {});
  const [model, setModel] = useState('');
  const { job, start, error } = useJob(() => onClassified());
  const running = job !== null && (job.state === 'queued' || job.state === 'running');
  const s = predictions?.summary ?? null;
  return (
    <section aria-label="Classification" data-testid="classify-panel">
      <h2>Classification</h2>
      {models.data && models.data.length === 0 ? <p className="viewer-status">No models registered.</p> : null}
      <label>
        Model{' '}
        <select value={model} onChange={(e) => setModel(e.target.value)} aria-label="Model" disabled={running}>
          <option value="">default{models.data?.find((m) => m.isDefault) ? ` (${models.data.find((m) => m.isDefault)!.name})` : ''}</option>
          {models.data?.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
      </label>{' '}
      {running ? (
        <button type="button" onClick={() => void api.call('jobs.cancel', { id: job.id })}>
          Cancel
        </button>
      ) : (
        <button type="button" disabled={!models.data?.length} onClick={() => void start(() => api.call('records.classify', { record: String(recordId), ...(model ? { model } : {}) }))}>
          Classify record
        </button>
      )}
      {job ? (
        <p className="viewer-status" data-testid="classify-status">
          {running ? <progress value={job.progress} max={1} aria-label="Classification progress" /> : null} {job.state === 'failed' ? `Failed: ${job.error?.message ?? job.message}` : job.state === 'cancelled' ? 'Cancelled.' : job.message}
        </p>
      ) : null}
      {error ? <p className="error-text">{error}</p> : null}
      {predictions && s ? (
        <div data-testid="classify-summary">
          <p className="viewer-status">
            {predictions.predictions.length} beats by {predictions.model}: {(100 * s.accuracy).toFixed(1)}% agree with the reference, {s.mismatches} mismatches (m jumps to the next)
            {predictions.attackThreshold === null ? '.' : `, ${s.flaggedAttacked} flagged attacked (P(attacked) > ${predictions.attackThreshold.toFixed(3)}).`}
          </p>
          <table className="confusion" aria-label="Confusion against the reference (rows: reference, columns: predicted)">
            <thead>
              <tr>
                <th>ref \ pred</th>
                {predictions.classes.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {s.confusion.map((row, i) => (
                <tr key={predictions.classes[i]}>
                  <th>{predictions.classes[i]}</th>
                  {row.map((v, j) => (
                    <td key={j} style={i !== j && v > 0 ? { color: '#c62828', fontWeight: 600 } : undefined}>
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
