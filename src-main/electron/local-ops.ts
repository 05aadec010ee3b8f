// Operations the Electron shell answers itself because they need the main thread (native
// dialogs); every other op goes on to the core. Validation is the contract's, via dispatch.
// No electron import here: main.ts passes the implementations in, so this is tested in Node.
import { readFile, stat } from 'node:fs/promises';
import type { Core } from '../app/core.ts';
import { dispatch, type Handler, type Handlers } from '../app/dispatch.ts';
import { isOpName, ReportExportResult, type OpOutput, type OpParsedInput } from '../../src-shared/contract/index.ts';
import { AppError } from '../../src-shared/errors.ts';

export type LocalHandlers = Partial<Handlers>;

export function withLocalOps(core: Core, local: LocalHandlers): Core {
  return {
    // dispatch only reads the handler of the op it is given, which is present here.
    call: (op, input) => (isOpName(op) && local[op] ? dispatch(local as Handlers, op, input) : core.call(op, input)),
    onEvent: (listener) => core.onEvent(listener),
    close: () => core.close(),
  };
}

/**
 * 'audits.export' in the desktop app. The core runs on a worker thread, which cannot reach
 * Electron's printer, so for a PDF the core writes the report's HTML (at `out` with .html, or its
 * default place) and the shell prints that page with `print` beside it (or to `out`); every
 * other format goes to the core unchanged.
 */
export function pdfExportInShell(core: Core, print: (html: string, outPath: string) => Promise<void>): Handler<'audits.export'> {
  const viaCore = async (input: OpParsedInput<'audits.export'>): Promise<OpOutput<'audits.export'>> => {
    const env = await core.call('audits.export', input);
    if (!env.ok) throw AppError.from(env.error);
    return ReportExportResult.parse(env.value);
  };
  return async (input) => {
    if (input.format !== 'pdf') return viaCore(input);
    const html = await viaCore({ id: input.id, format: 'html', ...(input.out ? { out: input.out.replace(/(\.pdf)?$/i, '.html') } : {}) });
    const path = input.out ?? html.path.replace(/(\.html?)?$/i, '.pdf');
    await print(await readFile(html.path, 'utf8'), path);
    return { path, bytes: (await stat(path)).size, format: 'pdf' };
  };
}
