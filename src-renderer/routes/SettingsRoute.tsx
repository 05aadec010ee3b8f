import { useEffect, useState } from 'react';
import { BACKENDS, type AuditVerification, type Settings } from '../../src-shared/contract/index.ts';
import { useApi, useJob, useQuery } from '../api/hooks.ts';
import { JobProgress } from '../components/JobProgress.tsx';
import { Chart } from '../components/Chart.tsx';
import { DisplayCalibration } from '../viewer/DisplayCalibration.tsx';

export function SettingsRoute() {
  const api = useApi();
  const info = useQuery('app.info', {});
  const settings = useQuery('settings.get', {});
  const [draft, setDraft] = useState<Partial<Settings>>({});
  const [saveMsg, setSaveMsg] = useState<string | null>(null);
  const [audit, setAudit] = useState<AuditVerification | null>(null);
  const { job, start, error } = useJob();
  const [lossSeries, setLossSeries] = useState<number[]>([]);
  useEffect(() => {
    const m = job?.state === 'running' ? /Step (\d+)\/\d+: loss ([0-9.]+)/.exec(job.message) : null;
    if (m?.[1] && m[2]) {
      const step = Number(m[1]);
      const loss = Number(m[2]);
      setLossSeries((s) => (s.length < step ? [...s, loss] : s));
    }
  }, [job]);

  const current = settings.data ? { ...settings.data, ...draft } : null;
  const save = async (): Promise<void> => {
    try {
      await api.call('settings.update', draft);
      setDraft({});
      setSaveMsg('Saved. A backend or worker-count change takes effect at the next start.');
      settings.reload();
    } catch (e) {
      setSaveMsg(e instanceof Error ? e.message : String(e));
    }
  };
  const runSelfTest = async (): Promise<void> => {
    setLossSeries([]);
    await start(() => api.call('compute.selfTest', { steps: 40 }));
  };
  const result = job?.kind === 'compute.selfTest' && job.state === 'succeeded' ? job.result : null;

  return (
    <section>
      <h1>Settings</h1>
      <div className="panel">
        <h2>Compute</h2>
        {info.data ? (
          <dl className="facts">
            <dt>Active backend</dt>
            <dd data-testid="settings-backend">
              {info.data.backend}
              {info.data.backend === 'wasm' ? (info.data.backendDetail.simd ? ' with SIMD' : ' without SIMD') : ''}, {info.data.backendDetail.workers} compute worker{info.data.backendDetail.workers === 1 ? '' : 's'}
            </dd>
            {info.data.backendDetail.tried.length > 0 ? (
              <>
                <dt>Skipped</dt>
                <dd>
                  <ul className="plain">
                    {info.data.backendDetail.tried.map((t) => (
                      <li key={t}>{t}</li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
            <dt>Data folder</dt>
            <dd>{info.data.dataDir}</dd>
            <dt>Database</dt>
            <dd>{info.data.dbPath}</dd>
            <dt>Node</dt>
            <dd>{info.data.node}</dd>
            {info.data.electron ? (
              <>
                <dt>Electron</dt>
                <dd>{info.data.electron}</dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p>{info.error?.message ?? 'Loading…'}</p>
        )}
        <button type="button" onClick={() => void runSelfTest()} disabled={job?.state === 'running'}>
          Run backend self-test
        </button>
        {error ? <p className="error-text">{error}</p> : null}
        {job ? <JobProgress job={job} onCancel={() => void api.call('jobs.cancel', { id: job.id })} /> : null}
        {lossSeries.length > 1 ? (
          <Chart
            height={200}
            testId="selftest-chart"
            option={{
              grid: { left: 48, right: 16, top: 16, bottom: 32 },
              xAxis: { type: 'category', name: 'step', data: lossSeries.map((_, i) => i + 1) },
              yAxis: { type: 'value', name: 'loss' },
              tooltip: { trigger: 'axis' },
              series: [{ type: 'line', data: lossSeries, showSymbol: false }],
            }}
          />
        ) : null}
        {result ? (
          <p data-testid="selftest-result">
            {result.decreased ? 'Training works' : 'Loss did not fall'} on {result.backend}: loss {result.firstLoss.toFixed(3)} → {result.lastLoss.toFixed(3)},{' '}
            {result.msPerStep.toFixed(1)} ms per step.
          </p>
        ) : null}
      </div>

      <div className="panel">
        <h2>Preferences</h2>
        {current ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label>
              Compute backend
              <select value={current.backend} onChange={(e) => setDraft({ ...draft, backend: e.target.value as Settings['backend'] })}>
                {['auto', ...BACKENDS].map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Compute workers
              <input
                type="number"
                min={1}
                max={64}
                placeholder="one per core"
                value={current.computeWorkers ?? ''}
                onChange={(e) => setDraft({ ...draft, computeWorkers: e.target.value === '' ? null : Number(e.target.value) })}
              />
            </label>
            <label>
              <input type="checkbox" checked={current.deidentifyOnImport} onChange={(e) => setDraft({ ...draft, deidentifyOnImport: e.target.checked })} />
              De-identify records on import (dates to year, ages over 89 to 90+)
            </label>
            <label>
              Default beat length (samples)
              <input
                type="number"
                min={64}
                max={2048}
                value={current.defaultBeatLength}
                onChange={(e) => setDraft({ ...draft, defaultBeatLength: Number(e.target.value) })}
              />
            </label>
            <DisplayCalibration value={current.pixelsPerMm} onChange={(pixelsPerMm) => setDraft({ ...draft, pixelsPerMm })} />
            <button type="submit" disabled={Object.keys(draft).length === 0}>
              Save
            </button>
            {saveMsg ? <p role="status">{saveMsg}</p> : null}
          </form>
        ) : (
          <p>{settings.error?.message ?? 'Loading…'}</p>
        )}
      </div>

      <div className="panel">
        <h2>Audit log</h2>
        <p>Every import, setting change and report is appended to a hash-chained log; verification recomputes the chain.</p>
        <button type="button" onClick={() => void api.call('audit.verify', {}).then(setAudit)}>
          Verify audit log
        </button>
        {audit ? (
          <p data-testid="audit-result" className={audit.ok ? 'ok-text' : 'error-text'}>
            {audit.ok ? `Intact: ${audit.checked} entries verified.` : `Tampering detected at entry ${audit.firstBadId}: ${audit.reason}`}
          </p>
        ) : null}
      </div>
    </section>
  );
}
