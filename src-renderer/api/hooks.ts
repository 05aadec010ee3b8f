import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ApiClient, ApiEvent, OpInput, OpName, OpOutput } from '../../src-main/api/contract.ts';

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
