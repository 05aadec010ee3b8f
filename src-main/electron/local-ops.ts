// Operations the Electron shell answers itself because they need the main thread (native
// dialogs); every other op goes on to the core. Validation is the contract's, via dispatch.
// No electron import here: main.ts passes the implementations in, so this is tested in Node.
import type { Core } from '../app/core.ts';
import { dispatch, type Handlers } from '../app/dispatch.ts';
import { isOpName } from '../../src-shared/contract/index.ts';

export type LocalHandlers = Partial<Handlers>;

export function withLocalOps(core: Core, local: LocalHandlers): Core {
  return {
    // dispatch only reads the handler of the op it is given, which is present here.
    call: (op, input) => (isOpName(op) && local[op] ? dispatch(local as Handlers, op, input) : core.call(op, input)),
    onEvent: (listener) => core.onEvent(listener),
    close: () => core.close(),
  };
}
