import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { isTerminalJobState, type ApiClient, type ApiEvent, type JobStatus, type OpInput, type OpName, type OpOutput } from '../../src-shared/contract/index.ts';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}

export interface Query<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/** Calls an operation on mount (and on reload); keeps the last value, error and loading flag. */
export function useQuery<K extends OpName>(op: K, input: OpInput<K>, deps: unknown[] = []): Query<OpOutput<K>> {
  const api = useApi();
  const [state, setState] = useState<{ data: OpOutput<K> | null; error: Error | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api.call(op, input).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: null, error: error instanceof Error ? error : new Error(String(error)), loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, op, tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function useApiEvents(listener: (e: ApiEvent) => void): void {
  const api = useApi();
  useEffect(() => api.onEvent(listener), [api, listener]);
}

/** Later of two snapshots of one job: a finished state wins, then the further progress. */
function newer(a: JobStatus | null, b: JobStatus): JobStatus {
  if (!a || a.id !== b.id) return b;
  if (isTerminalJobState(a.state) && !isTerminalJobState(b.state)) return a;
  if (isTerminalJobState(b.state)) return b;
  return b.progress >= a.progress ? b : a;
}

/**
 * Reads a job every `intervalMs` until it ends or `stop` is called. Events only come for jobs of
 * this launch; a job another process runs (a CLI training the app is watching) changes only in
 * the database, so it is read from there. Failed reads are retried at the next tick.
 */
export function pollJob(api: Pick<ApiClient, 'call'>, id: string, onStatus: (s: JobStatus) => void, intervalMs = 2000): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async (): Promise<void> => {
    try {
      const s = await api.call('jobs.get', { id });
      if (stopped) return;
      onStatus(s);
      if (isTerminalJobState(s.state)) return;
    } catch {
      // The next tick tries again (a host restarting, a dropped connection).
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Follows one background job. Events may overtake the reply that named the job, so every
 * event is remembered and the newest snapshot wins; a job still going is also read every 2 s, which
 * is how a job run by another process is followed.
 */
export function useJob(onFinish?: (job: JobStatus) => void): { job: JobStatus | null; start: (fn: () => Promise<{ jobId: string }>) => Promise<void>; error: string | null } {
  const api = useApi();
  const seen = useRef(new Map<string, JobStatus>());
  const [job, setJob] = useState<JobStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const finished = useRef(new Set<string>());
  const apply = useCallback(
    (s: JobStatus) => {
      seen.current.set(s.id, newer(seen.current.get(s.id) ?? null, s));
      setJob((cur) => {
        if (!cur || cur.id !== s.id) return cur;
        const next = newer(cur, s);
        if (isTerminalJobState(next.state) && !finished.current.has(next.id)) {
          finished.current.add(next.id);
          queueMicrotask(() => onFinish?.(next));
        }
        return next;
      });
    },
    [onFinish],
  );
  useApiEvents(useCallback((e: ApiEvent) => e.type === 'job' && apply(e.job), [apply]));
  const followId = job && !isTerminalJobState(job.state) ? job.id : null;
  useEffect(() => (followId ? pollJob(api, followId, apply) : undefined), [api, followId, apply]);
  const start = useCallback(
    async (fn: () => Promise<{ jobId: string }>) => {
      setError(null);
      try {
        // Jobs already ended before this call: one of them coming back is a resume (same id).
        const endedBefore = new Set([...seen.current].filter(([, s]) => isTerminalJobState(s.state)).map(([id]) => id));
        const { jobId } = await fn();
        if (endedBefore.has(jobId)) {
          // Its earlier ending must not hide the new launch. An ending that arrives after the call
          // (a fast job finishing before jobs.get answers) is kept: that is this launch's.
          seen.current.delete(jobId);
          finished.current.delete(jobId);
        }
        const fetched = await api.call('jobs.get', { id: jobId });
        const known = seen.current.get(jobId);
        const first = known ? newer(fetched, known) : fetched;
        setJob(first);
        apply(first);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [api, apply],
  );
  return { job, start, error };
}
