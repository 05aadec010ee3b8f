// A report's HTML printed to PDF. The desktop app registers Electron's own printer (a hidden
// window's printToPDF, see electron/main.ts); elsewhere (browser mode, CLI) a Chromium or Google
// Chrome found on the machine prints it headless. Either way the file is checked to be a PDF
// and replaces the target only once complete.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../src-shared/errors.ts';

/** Writes the PDF of `html` to `outPath`. */
export type PdfPrinter = (html: string, outPath: string) => Promise<void>;

let registered: PdfPrinter | null = null;

/** Installs the printer printPdf uses instead of a Chromium process (null removes it). */
export function setPdfPrinter(printer: PdfPrinter | null): void {
  registered = printer;
}

const KNOWN_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

/** Where a browser is looked for: only ECGATK_CHROMIUM when it is set (a wrong setting must not be papered over). */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const forced = env.ECGATK_CHROMIUM?.trim();
  return forced ? [forced] : KNOWN_BROWSERS;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  return chromiumCandidates(env).find(executable) ?? null;
}

/** Throws unless the file starts with the PDF signature. */
async function assertPdf(path: string, by: string): Promise<void> {
  const head = Buffer.alloc(5);
  let read = 0;
  try {
    const fh = await open(path, 'r');
    try {
      ({ bytesRead: read } = await fh.read(head, 0, 5, 0));
    } finally {
      await fh.close();
    }
  } catch {
    throw new AppError('INTERNAL', `${by} wrote no PDF file`);
  }
  if (read < 5 || head.toString('latin1') !== '%PDF-') throw new AppError('INTERNAL', `${by} wrote a file that is not a PDF`);
}

function run(bin: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 << 20, windowsHide: true }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const tail = String(stderr).trim().split('\n').slice(-3).join(' | ');
      const why = err.killed ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `failed (${err.code ?? err.signal ?? err.message})`;
      reject(new AppError('INTERNAL', `PDF printing with ${bin} ${why}${tail ? `: ${tail}` : ''}`));
    });
  });
}

export interface ChromiumOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Headless Chromium's --print-to-pdf on the page written to a temporary folder (with a throwaway profile). */
export async function printWithChromium(html: string, outPath: string, opts: ChromiumOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  const bin = findChromium(env);
  if (!bin) {
    throw new AppError('NOT_FOUND', `PDF export needs Chromium or Google Chrome: none found at ${chromiumCandidates(env).join(', ')}; set ECGATK_CHROMIUM or export HTML`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'ecgatk-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    await writeFile(page, html, 'utf8');
    const args = [
      '--headless',
      '--disable-gpu',
      // The page is our own inert HTML (no script, nothing fetched); the sandbox cannot start as root or in many containers.
      '--no-sandbox',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${pdf}`,
      pathToFileURL(page).href,
    ];
    await run(bin, args, opts.timeoutMs ?? 120_000);
    await assertPdf(pdf, bin);
    await mkdir(dirname(outPath), { recursive: true });
    // Copy then rename beside the target: a reader never sees half a PDF, and tmp may be another filesystem.
    const part = `${outPath}.part`;
    await copyFile(pdf, part);
    await rename(part, outPath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prints with the registered printer (Electron), else with a Chromium on the machine. */
export async function printPdf(html: string, outPath: string): Promise<void> {
  if (!registered) return printWithChromium(html, outPath);
  await mkdir(dirname(outPath), { recursive: true });
  await registered(html, outPath);
  await assertPdf(outPath, 'The PDF printer');
}
