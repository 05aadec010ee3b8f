// The Training screen's detector panel says which threshold an ATK-GAN flags with, and where it came from.
import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ApiClient, ModelEntry } from '../../../src-shared/contract/index.ts';
import { ApiContext } from '../../../src-renderer/api/hooks.ts';
import { DetectorCalibration } from '../../../src-renderer/components/DetectorCalibration.tsx';

const sha = 'a'.repeat(64);
const entry = (detector?: ModelEntry['card']['detector']): ModelEntry => ({
  name: 'atk-gan-x',
  kind: 'atk-gan-d',
  datasetId: null,
  datasetHash: null,
  classes: ['N', 'S', 'V', 'F'],
  inputLength: 280,
  samplingRate: 360,
  modelHash: sha,
  metrics: {},
  path: '/m',
  isDefault: false,
  createdAt: new Date(0).toISOString(),
  card: {
    formatVersion: 1, kind: 'atk-gan-d', parameters: 1, inputLength: 280, samplingRate: 360, normalisation: 'minmax', classes: ['N', 'S', 'V', 'F'], datasetHash: null,
    seed: 1, epochs: 1, trainingCommand: 't', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
    files: { 'model.json': { sha256: sha, bytes: 1 }, 'weights.bin': { sha256: sha, bytes: 1 } },
    ...(detector ? { detector } : {}),
  },
});
// Static markup runs no effects: the client is never called.
const render = (m: ModelEntry): string =>
  renderToStaticMarkup(
    <ApiContext.Provider value={{} as ApiClient}>
      <DetectorCalibration model={m} onDone={() => undefined} />
    </ApiContext.Provider>,
  ).replace(/<[^>]+>/g, ' ');

describe('detector calibration panel', () => {
  it('an uncalibrated model flags at 0.5 and says it is not calibrated', () => {
    expect(render(entry())).toMatch(/flags a beat when P\(attacked\) &gt; 0\.5000 \(not calibrated\)/);
  });

  it('a calibrated one shows its threshold and the validation figures it was set with', () => {
    const text = render(entry({ threshold: 0.0823, targetFalseAlarmRate: 0.05, falseAlarmRate: 0.0498, detectionRate: 0.613, eps: 0.01, beats: 7315, calibratedAt: new Date(0).toISOString() }));
    expect(text).toMatch(/P\(attacked\) &gt; 0\.0823/);
    expect(text).toMatch(/on 7315 validation beats: 5\.0% of clean beats flagged, 61\.3% of FGSM ε=0\.01 copies/);
    expect(text).toContain('Calibrate detector');
  });
});
