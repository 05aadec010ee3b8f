// Every job of this and earlier launches, live: progress, cancel for running ones, resume for
// interrupted (or failed, cancelled) jobs of a resumable kind.
import { useCallback, useEffect, useState } from 'react';
import { isResumableJobState, isTerminalJobState, type ApiEvent, type JobStatus } from '../../src-shared/contract/index.ts';
import { useApi, useApiEvents, useQuery } from '../api/hooks.ts';
import { EmptyState } from '../components/EmptyState.tsx';


function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function JobsRoute() {
  const api = useApi();
  const jobs = useQuery('jobs.list', { limit: 200 });
  const [live, setLive] = useState(new Map<string, JobStatus>());
  const [error, setError] = useState<string | null>(null);
  const reload = jobs.reload;
  useApiEvents(
    useCallback(
      (e: ApiEvent) => {
        if (e.type !== 'job') return;
        setLive((m) => new Map(m).set(e.job.id, e.job));
        // A job this list has not seen yet: fetch the list again so it appears in order.
        if (e.job.state === 'queued') reload();
      },
      [reload],
    ),
  );
  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await fn();
      reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const list = (jobs.data ?? []).map((j) => live.get(j.id) ?? j);
  // Jobs another process runs (a CLI training) send no events: while any job is unfinished the
  // list is read again every 3 s, so their progress moves here too.
  const unfinished = list.some((j) => !isTerminalJobState(j.state));
  useEffect(() => {
    if (!unfinished) return;
    const timer = setInterval(reload, 3000);
    return () => clearInterval(timer);
  }, [unfinished, reload]);
  return (
    <section>
      <h1>Jobs</h1>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      {jobs.error ? <p className="error-text">{jobs.error.message}</p> : null}
      {list.length === 0 && !jobs.loading ? (
        <EmptyState title="No jobs yet">
          <p>Imports, dataset builds and compute work run as jobs; they are kept here across restarts.</p>
        </EmptyState>
      ) : (
        <div className="panel table-scroll">
          <table className="grid jobs" data-testid="jobs-table">
            <caption className="visually-hidden">Jobs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Progress</th>
                <th scope="col">Message</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((j) => (
                <tr key={j.id} data-job-id={j.id} data-state={j.state}>
                  <td>{j.kind}</td>
                  <td className={`job-state-${j.state}`}>{j.state}</td>
                  <td>
                    <progress max={1} value={j.progress} aria-label={`Progress of ${j.kind}`} /> {Math.round(j.progress * 100)}%
                  </td>
                  <td className="job-message-cell">{j.error ? `${j.error.code}: ${j.error.message}` : j.message}</td>
                  <td>{when(j.startedAt)}</td>
                  <td>{when(j.finishedAt)}</td>
                  <td>
                    {!isTerminalJobState(j.state) ? (
                      <button type="button" onClick={() => void act(() => api.call('jobs.cancel', { id: j.id }))}>
                        Cancel
                      </button>
                    ) : j.resumable && isResumableJobState(j.state) ? (
                      <button type="button" onClick={() => void act(() => api.call('jobs.resume', { id: j.id }))}>
                        Resume
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
