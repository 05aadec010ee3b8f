import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import type { JobStatus } from '../../src-main/api/contract.ts';
import { useApi, useJob, useQuery } from '../api/hooks.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { JobProgress } from '../components/JobProgress.tsx';

function fmtDuration(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
}

function ImportPanel({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const [paths, setPaths] = useState('');
  const { job, start, error } = useJob(useCallback((j: JobStatus) => j.state === 'done' && onDone(), [onDone]));
  const failed = job?.state === 'done' ? (job.result as { status: string; path: string; error: string | null }[]).filter((i) => i.status === 'failed') : [];
  return (
    <div className="panel">
      <h2>Import</h2>
      <div className="row">
        <button type="button" onClick={() => void start(() => api.call('records.importSamples', {}))}>
          Import sample records
        </button>
        <input
          aria-label="Files or folders to import"
          placeholder="/path/to/record.hea or a folder (several separated by ;)"
          value={paths}
          onChange={(e) => setPaths(e.target.value)}
          style={{ flex: 1 }}
        />
        <button
          type="button"
          disabled={paths.trim() === ''}
          onClick={() => void start(() => api.call('records.import', { paths: paths.split(';').map((p) => p.trim()).filter(Boolean) }))}
        >
          Import
        </button>
      </div>
      {error ? <p className="error-text">{error}</p> : null}
      {job ? <JobProgress job={job} onCancel={() => void api.call('jobs.cancel', { id: job.id })} /> : null}
      {failed.length ? (
        <ul className="error-text" data-testid="import-failures">
          {failed.map((f) => (
            <li key={f.path}>{f.error}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function RecordsRoute() {
  const records = useQuery('records.list', {});
  const navigate = useNavigate();
  const list = records.data ?? [];
  return (
    <section>
      <h1>Records</h1>
      <ImportPanel onDone={records.reload} />
      {records.error ? <p className="error-text">{records.error.message}</p> : null}
      {list.length === 0 && !records.loading ? (
        <EmptyState title="No records imported">
          <p>Import the bundled sample records, or WFDB (.hea), EDF and CSV files from this machine.</p>
        </EmptyState>
      ) : (
        <table className="grid" data-testid="records-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Format</th>
              <th>Duration</th>
              <th>Leads</th>
              <th>N</th>
              <th>S</th>
              <th>V</th>
              <th>F</th>
              <th>Q</th>
              <th title="Beats found by the QRS detector in records without reference annotations">Detected</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id} onClick={() => void navigate(`/records/${r.id}`)}>
                <td>{r.name}</td>
                <td>{r.format}</td>
                <td>{fmtDuration(r.durationSeconds)}</td>
                <td title={r.leads.map((l) => l.name).join(', ')}>{r.leads.length <= 4 ? r.leads.map((l) => l.name).join(', ') : `${r.leads.length} leads`}</td>
                <td>{r.classCounts.N}</td>
                <td>{r.classCounts.S}</td>
                <td>{r.classCounts.V}</td>
                <td>{r.classCounts.F}</td>
                <td>{r.classCounts.Q}</td>
                <td>{r.classCounts.detected || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
