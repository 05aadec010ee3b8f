// A Core is the whole main-process service behind one call/event interface. Transports
// (IPC, HTTP) talk only to a Core, so they never know whether it runs in-process or in a
// worker (worker-core.ts, which the Electron shell uses without loading any of this).
import type { ApiEvent } from '../../src-shared/contract/index.ts';
import type { Envelope } from '../../src-shared/errors.ts';
import { dispatch } from './dispatch.ts';
import { createHandlers } from './handlers/index.ts';
import type { AppContext } from './context.ts';

export interface Core {
  call(op: unknown, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  close(): Promise<void>;
}

export function createInProcessCore(ctx: AppContext): Core {
  const handlers = createHandlers(ctx);
  const listeners = new Set<(e: ApiEvent) => void>();
  const off = ctx.jobs.onChange((job) => {
    for (const l of listeners) l({ type: 'job', job });
  });
  return {
    call: (op, input) => dispatch(handlers, op, input),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      off();
      await ctx.close();
    },
  };
}

