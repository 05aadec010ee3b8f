import type { JobStatus } from '../../src-shared/contract/index.ts';

export function JobProgress({ job, onCancel }: { job: JobStatus; onCancel?: () => void }) {
  const running = job.state === 'running' || job.state === 'queued';
  return (
    <div className={`job job-${job.state}`} data-testid="job-progress">
      <div className="job-head">
        <span>{job.kind}</span>
        <span data-testid="job-state">{job.state}</span>
      </div>
      <progress max={1} value={job.progress} aria-label={`Progress of ${job.kind}`} />
      <div className="job-message">{job.error ? `${job.error.code}: ${job.error.message}` : job.message}</div>
      {running && onCancel ? (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
