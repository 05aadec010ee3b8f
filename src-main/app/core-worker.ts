// Worker-thread entry: owns the AppContext (SQLite, TensorFlow.js) and answers core calls.
import { parentPort } from 'node:worker_threads';
import { openApp } from './context.ts';
import { createInProcessCore } from './core.ts';
import type { HostMessage, WorkerMessage } from './worker-core.ts';

const port = parentPort;
if (!port) throw new Error('core-worker must run in a worker thread');
const send = (m: WorkerMessage): void => port.postMessage(m);

try {
  const core = createInProcessCore(await openApp());
  core.onEvent((event) => send({ type: 'event', event }));
  port.on('message', (msg: HostMessage) => {
    if (msg.type === 'close') {
      void core.close().then(() => process.exit(0));
      return;
    }
    void core.call(msg.op, msg.input).then((envelope) => send({ type: 'result', id: msg.id, envelope }));
  });
  send({ type: 'ready' });
} catch (err) {
  send({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
}
