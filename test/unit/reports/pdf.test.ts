// PDF printing: a real report printed by the machine's Chromium, the error that names where a
// browser was looked for when there is none, and a registered printer (Electron's) checked too.
import { afterEach, describe, it, expect, vi } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from '../../../src-main/reports/html.ts';
import { chromiumCandidates, findChromium, printPdf, setPdfPrinter } from '../../../src-main/reports/pdf.ts';
import { AppError } from '../../../src-shared/errors.ts';
import { tempDir } from '../../helpers.ts';
import { auditFixture } from './audit-fixture.ts';

const chromium = findChromium();
const scratch = tempDir('ecgatk-pdf-test-');

afterEach(() => {
  setPdfPrinter(null);
  vi.unstubAllEnvs();
});

describe('printPdf', () => {
  // Skipped only where no Chromium/Chrome is installed (the reason is in the test name).
  it.skipIf(!chromium)(`prints the report of an audit to a multi-page PDF with ${chromium ?? 'no Chromium found on this machine'}`, async () => {
    const out = join(scratch.path, 'nested', 'report.pdf');
    await printPdf(renderReportHtml(auditFixture()), out);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
    // Sections with print page breaks: summary and curves, tables, per-class, confusion, examples, provenance.
    const pages = Number(/\/Type\s*\/Pages\b[^]*?\/Count\s+(\d+)/.exec(pdf.toString('latin1'))?.[1] ?? 0);
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(existsSync(`${out}.part`)).toBe(false);
  }, 180_000);

  it('without a browser says where it looked and what to do, and writes nothing', async () => {
    const missing = join(scratch.path, 'no-such-chrome');
    vi.stubEnv('ECGATK_CHROMIUM', missing);
    const out = join(scratch.path, 'never.pdf');
    const err = await printPdf('<p>x</p>', out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('NOT_FOUND');
    expect((err as AppError).message).toBe(`PDF export needs Chromium or Google Chrome: none found at ${missing}; set ECGATK_CHROMIUM or export HTML`);
    expect(existsSync(out)).toBe(false);
    // Without the variable the usual install places are listed.
    expect(chromiumCandidates({ ECGATK_CHROMIUM: ' ' }).slice(0, 3)).toEqual(['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']);
    expect(findChromium({ ECGATK_CHROMIUM: missing })).toBeNull();
  });

  it('uses a registered printer instead of a browser, and refuses what it writes unless it is a PDF', async () => {
    vi.stubEnv('ECGATK_CHROMIUM', join(scratch.path, 'no-such-chrome'));
    const seen: string[] = [];
    setPdfPrinter(async (html, outPath) => {
      seen.push(html);
      writeFileSync(outPath, `%PDF-1.7\n% ${html.length} bytes of html\n%%EOF\n`);
    });
    const out = join(scratch.path, 'deep', 'er', 'electron.pdf');
    await printPdf('<h1>report</h1>', out);
    expect(seen).toEqual(['<h1>report</h1>']);
    expect(readFileSync(out, 'latin1')).toContain('15 bytes of html');

    setPdfPrinter(async (_html, outPath) => writeFileSync(outPath, '<html>oops</html>'));
    await expect(printPdf('<h1>report</h1>', join(scratch.path, 'bad.pdf'))).rejects.toThrow('The PDF printer wrote a file that is not a PDF');
    setPdfPrinter(async () => undefined);
    await expect(printPdf('<h1>report</h1>', join(scratch.path, 'none.pdf'))).rejects.toThrow('The PDF printer wrote no PDF file');
  });
});
