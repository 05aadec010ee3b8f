// Imports files and folders into the catalog. A file that cannot be imported is reported
// with its reason and the rest still import; each record is its own transaction.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { loadRecord, IMPORTABLE } from './sources.ts';
import { parseHeader } from '../signals/wfdb/header.ts';
import type { RecordCatalog } from './catalog.ts';
import { detectQrs } from '../beats/qrs.ts';
import { isBeat } from '../signals/wfdb/annotations.ts';
import { fail } from '../signals/errors.ts';
import { AppError, isCancelled } from '../../src-shared/errors.ts';
import type { ImportItem } from '../../src-shared/contract/index.ts';

export type { ImportItem };

export interface ImportOptions {
  deidentify: boolean;
  annotator?: string;
  csvFrequency?: number;
  onProgress?: (done: number, total: number, path: string) => void;
  signal?: AbortSignal;
}

/** Expands folders recursively into importable files; segment headers of multi-segment records are left to their master. */
export async function expandPaths(paths: string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await stat(p).catch(() => null);
    if (!st) {
      found.push(p); // reported as missing by the importer
      return;
    }
    if (st.isDirectory()) {
      const entries = (await readdir(p)).sort();
      for (const e of entries) if (!e.startsWith('.')) await walk(join(p, e));
    } else if (IMPORTABLE.has(extname(p).toLowerCase())) {
      found.push(p);
    }
  };
  for (const p of paths) await walk(resolve(p));
  // A multi-segment master header (name/n) owns its segment and layout headers.
  const segmentHeaders = new Set<string>();
  for (const f of found.filter((x) => x.toLowerCase().endsWith('.hea'))) {
    let header;
    try {
      header = parseHeader(await readFile(f, 'utf8'), f);
    } catch {
      continue; // the importer reports it with its reason
    }
    for (const seg of header.segments) if (seg.name !== '~') segmentHeaders.add(join(dirname(f), `${seg.name}.hea`));
  }
  return [...new Set(found)].filter((f) => !segmentHeaders.has(f));
}

export async function importPaths(catalog: RecordCatalog, paths: string[], opts: ImportOptions): Promise<ImportItem[]> {
  const files = await expandPaths(paths);
  const items: ImportItem[] = [];
  for (const [i, path] of files.entries()) {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', `Import cancelled after ${i} of ${files.length} files`);
    opts.onProgress?.(i, files.length, path);
    try {
      const st = await stat(path).catch(() => null);
      if (!st) fail(path, `does not exist (${path})`);
      // Same size and mtime as when it was hashed: nothing to read.
      const known = await catalog.unchangedSource(path);
      if (known !== null) {
        items.push({ path, name: known.name, recordId: known.id, status: 'unchanged', error: null });
        continue;
      }
      const rec = await loadRecord(path, { annotator: opts.annotator, csvFrequency: opts.csvFrequency });
      // Records without reference beats get detector beats (first lead) so they can be browsed and segmented.
      let detected: number[] | undefined;
      if (!rec.annotations.some((a) => isBeat(a.symbol)) && rec.numFrames > 0 && rec.numFrames <= 50_000_000) {
        const [lead] = await rec.readWindow(0, rec.numFrames, [0]);
        detected = detectQrs(lead!, rec.leads[0]!.frequency);
        const spf = rec.leads[0]!.frequency / rec.frequency;
        if (spf !== 1) detected = detected.map((s) => Math.floor(s / spf));
      }
      const res = await catalog.importLoaded(rec, { deidentify: opts.deidentify, detected });
      items.push({ path, name: rec.name, recordId: res.id, status: res.status, error: null });
    } catch (err) {
      if (isCancelled(err)) throw err;
      items.push({ path, name: basename(path), recordId: null, status: 'failed', error: err instanceof Error ? err.message : String(err) });
    }
  }
  opts.onProgress?.(files.length, files.length, '');
  return items;
}
