// Robustness reports: start an audit (a compute job: progress and cancel as on the Training screen),
// the list of audits, one audit's report with its exports (#/reports/<id>), and two audits compared
// (#/reports/compare?a=<id>&b=<id>).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router';
import { REPORT_FORMATS, isResumableJobState, isTerminalJobState, type ApiEvent, type Audit, type AuditInput } from '../../src-shared/contract/index.ts';
import { fmtEps, suiteText } from '../../src-shared/report.ts';
import { useApi, useApiEvents, useJob, useQuery } from '../api/hooks.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { fieldErrors } from '../components/Field.tsx';
import { JobProgress } from '../components/JobProgress.tsx';
import { AUDIT_FIELDS, AuditForm, type AuditField } from '../reports/AuditForm.tsx';
import { AuditList } from '../reports/AuditList.tsx';
import { Compare } from '../reports/Compare.tsx';
import { ReportView } from '../reports/ReportView.tsx';

/** While an audit runs, its row (cells done) is refreshed at most this often. */
const LIST_REFRESH_MS = 2000;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function ReportsHome() {
  const api = useApi();
  const navigate = useNavigate();
  const audits = useQuery('audits.list', { limit: 200 });
  const models = useQuery('models.list', {});
  const datasets = useQuery('datasets.list', {});
  const reload = audits.reload;
  const { job, start, error } = useJob(reload);
  const [errors, setErrors] = useState<Partial<Record<AuditField, string>>>({});
  const [picked, setPicked] = useState<string[]>([]);
  const [actionError, setActionError] = useState<string | null>(null);
  const lastReload = useRef(0);

  // Cells done move with the job: refresh the list on its events, not more than every LIST_REFRESH_MS.
  useApiEvents(
    useCallback(
      (e: ApiEvent) => {
        if (e.type !== 'job' || e.job.id !== job?.id) return;
        const now = Date.now();
        if (now - lastReload.current >= LIST_REFRESH_MS) {
          lastReload.current = now;
          reload();
        }
      },
      [job?.id, reload],
    ),
  );

  // Reopening the screen while an audit runs: follow its job again.
  const running = audits.data?.find((a) => a.status === 'running' && a.jobId !== null);
  useEffect(() => {
    if (!job && running?.jobId) void start(async () => ({ jobId: running.jobId! }));
  }, [job, running, start]);

  const submit = async (input: Partial<AuditInput>): Promise<void> => {
    setErrors({});
    await start(async () => {
      try {
        return await api.call('audits.start', input as AuditInput);
      } catch (e) {
        setErrors(fieldErrors(e, AUDIT_FIELDS));
        throw e;
      }
    });
    reload();
  };

  const dsList = datasets.data ?? [];
  const list = audits.data ?? [];
  const active = job !== null && !isTerminalJobState(job.state);
  const finished = job && job.state === 'succeeded' ? list.find((a) => a.jobId === job.id) : undefined;
  const pick = (id: string): void => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));

  return (
    <section className="reports">
      <h1>Robustness reports</h1>
      <div className="training-top">
        <div className="panel">
          <h2>Start an audit</h2>
          {models.data && datasets.data ? (
            <AuditForm models={models.data} datasets={dsList} busy={active} errors={errors} onSubmit={(input) => void submit(input)} />
          ) : (
            <p className="muted">{models.error?.message ?? datasets.error?.message ?? 'Loading models and datasets…'}</p>
          )}
          {error ? (
            <p className="error-text" role="alert" data-testid="audit-error">
              {error}
            </p>
          ) : null}
        </div>
        <div className="panel">
          <h2>Audit in progress</h2>
          {job ? (
            <>
              <JobProgress
                job={job}
                onCancel={() =>
                  void api.call('jobs.cancel', { id: job.id }).catch((e: unknown) => {
                    setActionError(message(e));
                  })
                }
              />
              {finished ? (
                <p>
                  <Link to={`/reports/${finished.id}`}>Open the report</Link>
                </p>
              ) : null}
            </>
          ) : (
            <p className="muted">
              No audit running. An audit attacks each chosen model with every attack of the suite at each ε on the dataset’s test split, and keeps every figure with the
              hashes, seed and versions that reproduce it.
            </p>
          )}
        </div>
      </div>
      {actionError ? (
        <p className="error-text" role="alert">
          {actionError}
        </p>
      ) : null}
      <div className="panel">
        <div className="section-head">
          <h2>Audits</h2>
          <button type="button" disabled={picked.length !== 2} onClick={() => navigate(`/reports/compare?a=${encodeURIComponent(picked[0]!)}&b=${encodeURIComponent(picked[1]!)}`)}>
            Compare {picked.length === 2 ? 'the two ticked' : '(tick two)'}
          </button>
        </div>
        {audits.error ? (
          <p className="error-text" role="alert">
            {audits.error.message}
          </p>
        ) : list.length === 0 && !audits.loading ? (
          <EmptyState title="No reports yet">
            <p>Each report records the model hash, data hash, seed, backend and app version so that an auditor can reproduce it.</p>
          </EmptyState>
        ) : (
          <AuditList audits={list} datasetName={(id) => dsList.find((d) => d.id === id)?.name ?? id} picked={picked} onPick={pick} onOpen={(id) => navigate(`/reports/${id}`)} />
        )}
      </div>
    </section>
  );
}

function ExportBar({ audit }: { audit: Audit }) {
  const api = useApi();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const run = async (label: string, fn: () => Promise<string>): Promise<void> => {
    setBusy(label);
    setFailed(null);
    setDone(null);
    try {
      setDone(await fn());
    } catch (e) {
      setFailed(message(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="export-bar">
      <div className="form-actions" role="group" aria-label="Export the report">
        {REPORT_FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            disabled={busy !== null}
            onClick={() =>
              void run(format, async () => {
                const r = await api.call('audits.export', { id: audit.id, format });
                return `${format.toUpperCase()} written to ${r.path} (${(r.bytes / 1024).toFixed(1)} kB)`;
              })
            }
          >
            {busy === format ? `Exporting ${format.toUpperCase()}…` : `Export ${format.toUpperCase()}`}
          </button>
        ))}
        {isResumableJobState(audit.status) ? (
          <button
            type="button"
            disabled={busy !== null}
            onClick={() =>
              void run('resume', async () => {
                await api.call('audits.resume', { id: audit.id });
                navigate('/reports');
                return 'Resumed';
              })
            }
          >
            Resume
          </button>
        ) : null}
        <button
          type="button"
          disabled={busy !== null || audit.status === 'running'}
          onClick={() =>
            void run('rerun', async () => {
              await api.call('audits.rerun', { id: audit.id });
              navigate('/reports');
              return 'Re-run started';
            })
          }
        >
          Re-run
        </button>
      </div>
      {done ? (
        <p className="ok-text" role="status" data-testid="export-done">
          {done}
        </p>
      ) : null}
      {failed ? (
        <p className="error-text" role="alert" data-testid="export-error">
          {failed}
        </p>
      ) : null}
    </div>
  );
}

function ReportPage() {
  const { id = '' } = useParams();
  const audit = useQuery('audits.get', { id }, [id]);
  const a = audit.data;
  return (
    <section className="reports">
      <p>
        <Link to="/reports">← All reports</Link>
      </p>
      {audit.error ? (
        <p className="error-text" role="alert">
          {audit.error.message}
        </p>
      ) : !a ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <h1>
            Robustness report <small>{a.id}</small>
          </h1>
          <p className="muted" data-testid="report-subtitle">
            {a.models.join(', ')} on <strong>{a.provenance.dataset.name}</strong> · {suiteText(a.suite)}, {a.mode}
            {a.provenance.source ? ` from ${a.provenance.source.name}` : ''} · {a.beats} test beats · ε {a.eps.map(fmtEps).join(', ')} · {new Date(a.finishedAt ?? a.createdAt).toLocaleString()}
          </p>
          <ExportBar audit={a} />
          <ReportView audit={a} />
        </>
      )}
    </section>
  );
}

function ComparePage() {
  const [params] = useSearchParams();
  const ida = params.get('a') ?? '';
  const idb = params.get('b') ?? '';
  const a = useQuery('audits.get', { id: ida }, [ida]);
  const b = useQuery('audits.get', { id: idb }, [idb]);
  const err = a.error ?? b.error;
  return (
    <section className="reports">
      <p>
        <Link to="/reports">← All reports</Link>
      </p>
      <h1>Compare two audits</h1>
      {err ? (
        <p className="error-text" role="alert">
          {err.message}
        </p>
      ) : a.data && b.data ? (
        <Compare a={a.data} b={b.data} />
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}

export function ReportsRoute() {
  return (
    <Routes>
      <Route index element={<ReportsHome />} />
      <Route path="compare" element={<ComparePage />} />
      <Route path=":id" element={<ReportPage />} />
    </Routes>
  );
}
