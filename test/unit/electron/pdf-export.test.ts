// The desktop app's PDF export: the core (a stand-in here) writes the HTML, the shell prints that
// page with its printer beside it or to `out`; other formats and the core's errors pass through.
import { afterAll, describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src-main/app/core.ts';
import { pdfExportInShell, withLocalOps } from '../../../src-main/electron/local-ops.ts';
import type { Envelope } from '../../../src-shared/errors.ts';
import { tempDir } from '../../helpers.ts';

const scratch = tempDir('ecgatk-shell-pdf-');
afterAll(() => scratch.cleanup());

/** A core whose 'audits.export' writes `<format> of <id>` where asked, or under the scratch folder. */
function fakeCore(calls: unknown[]): Core {
  return {
    async call(op, input): Promise<Envelope<unknown>> {
      calls.push({ op, input });
      const { id, format, out } = input as { id: string; format: string; out?: string };
      if (id === 'missing') return { ok: false, error: { code: 'NOT_FOUND', message: 'No audit "missing"' } };
      const path = out ?? join(scratch.path, `${id}.${format}`);
      writeFileSync(path, `<p>${format} of ${id}</p>`);
      return { ok: true, value: { path, bytes: 20, format } };
    },
    onEvent: () => () => undefined,
    close: async () => undefined,
  };
}

describe('PDF export in the Electron shell', () => {
  const printed: { html: string; out: string }[] = [];
  const print = async (html: string, out: string): Promise<void> => {
    printed.push({ html, out });
    writeFileSync(out, `%PDF-1.7 ${html}`);
  };

  it('prints the HTML the core wrote, beside it or at `out`, and reports the PDF', async () => {
    const calls: unknown[] = [];
    const shell = withLocalOps(fakeCore(calls), { 'audits.export': pdfExportInShell(fakeCore(calls), print) });
    const res = await shell.call('audits.export', { id: 'a1', format: 'pdf' });
    const pdf = join(scratch.path, 'a1.pdf');
    expect(res).toEqual({ ok: true, value: { path: pdf, bytes: readFileSync(pdf).length, format: 'pdf' } });
    expect(calls).toEqual([{ op: 'audits.export', input: { id: 'a1', format: 'html' } }]);
    expect(printed.at(-1)).toEqual({ html: '<p>html of a1</p>', out: pdf });

    const out = join(scratch.path, 'chosen.pdf');
    const res2 = await shell.call('audits.export', { id: 'a2', format: 'pdf', out });
    expect(res2).toMatchObject({ ok: true, value: { path: out, format: 'pdf' } });
    expect(calls.at(-1)).toEqual({ op: 'audits.export', input: { id: 'a2', format: 'html', out: join(scratch.path, 'chosen.html') } });
    expect(readFileSync(out, 'utf8')).toBe('%PDF-1.7 <p>html of a2</p>');
  });

  it('hands other formats to the core as they are and passes its errors on', async () => {
    const calls: unknown[] = [];
    const core = fakeCore(calls);
    const shell = withLocalOps(core, { 'audits.export': pdfExportInShell(core, print) });
    const before = printed.length;
    expect(await shell.call('audits.export', { id: 'a3', format: 'csv' })).toMatchObject({ ok: true, value: { path: join(scratch.path, 'a3.csv'), format: 'csv' } });
    expect(calls).toEqual([{ op: 'audits.export', input: { id: 'a3', format: 'csv' } }]);
    expect(await shell.call('audits.export', { id: 'missing', format: 'pdf' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No audit "missing"' } });
    expect(printed.length).toBe(before);
    expect(existsSync(join(scratch.path, 'missing.pdf'))).toBe(false);
  });
});
