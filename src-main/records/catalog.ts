// The record catalog over SQLite. Imports are all-or-nothing: everything is read and
// validated first, then written in one transaction with its audit entry.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Store } from '../store/db.ts';
import type { AuditLog } from '../store/audit.ts';
import { AAMI, aamiCounts, type AamiClass } from '../signals/wfdb/annotations.ts';
import { deidentifyDate, deidentifyInfo, type Change } from './deidentify.ts';
import type { LeadInfo, LoadedRecord, RecordFormat } from './sources.ts';
import { ApiError } from '../api/errors.ts';

export interface CatalogRecord {
  id: number;
  name: string;
  format: RecordFormat;
  sourcePath: string;
  contentHash: string;
  frequency: number;
  numFrames: number;
  durationSeconds: number;
  startTime: string | null;
  startDate: string | null;
  leads: LeadInfo[];
  info: string[];
  classCounts: Record<AamiClass, number> & { other: number; detected: number };
  annotator: string | null;
  deidentified: boolean;
  importedAt: string;
  files: { path: string; sha256: string; bytes: number }[];
}

export interface StoredAnnotation {
  sample: number;
  symbol: string;
  aami: AamiClass | null;
  subtype: number;
  chan: number;
  num: number;
  aux: string | null;
  source: 'reference' | 'detector';
}

export type ImportStatus = 'imported' | 'unchanged' | 'replaced';

export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(path)).size };
}

interface Row {
  id: number;
  name: string;
  format: RecordFormat;
  source_path: string;
  content_hash: string;
  frequency: number;
  num_frames: number;
  start_time: string | null;
  start_date: string | null;
  leads: string;
  info: string;
  class_counts: string;
  annotator: string | null;
  deidentified: number;
  imported_at: string;
}

export class RecordCatalog {
  private readonly store: Store;
  private readonly audit: AuditLog;
  constructor(store: Store, audit: AuditLog) {
    this.store = store;
    this.audit = audit;
  }

  private toRecord(r: Row): CatalogRecord {
    const files = this.store.db.prepare('SELECT path, sha256, bytes FROM record_files WHERE record_id = ? ORDER BY path').all(r.id) as CatalogRecord['files'];
    return {
      id: r.id,
      name: r.name,
      format: r.format,
      sourcePath: r.source_path,
      contentHash: r.content_hash,
      frequency: r.frequency,
      numFrames: r.num_frames,
      durationSeconds: r.num_frames / r.frequency,
      startTime: r.start_time,
      startDate: r.start_date,
      leads: JSON.parse(r.leads) as LeadInfo[],
      info: JSON.parse(r.info) as string[],
      classCounts: JSON.parse(r.class_counts) as CatalogRecord['classCounts'],
      annotator: r.annotator,
      deidentified: r.deidentified === 1,
      importedAt: r.imported_at,
      files,
    };
  }

  list(): CatalogRecord[] {
    return (this.store.db.prepare('SELECT * FROM records ORDER BY name, id').all() as Row[]).map((r) => this.toRecord(r));
  }

  get(id: number): CatalogRecord {
    const row = this.store.db.prepare('SELECT * FROM records WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new ApiError('NOT_FOUND', `No record with id ${id}`);
    return this.toRecord(row);
  }

  findByName(name: string): CatalogRecord | null {
    const row = this.store.db.prepare('SELECT * FROM records WHERE name = ? OR source_path = ? ORDER BY id LIMIT 1').get(name, name) as Row | undefined;
    return row ? this.toRecord(row) : null;
  }

  annotationsBetween(id: number, from: number, to: number, limit = 50_000): StoredAnnotation[] {
    return this.store.db
      .prepare('SELECT sample, symbol, aami, subtype, chan, num, aux, source FROM annotations WHERE record_id = ? AND sample >= ? AND sample < ? ORDER BY sample LIMIT ?')
      .all(id, from, to, limit) as StoredAnnotation[];
  }

  /** Writes a fully loaded record; same source and same bytes is a no-op. */
  async importLoaded(rec: LoadedRecord, opts: { deidentify: boolean; detected?: number[] }): Promise<{ id: number; status: ImportStatus; changes: Change[] }> {
    const hashes = await Promise.all(rec.files.map(async (path) => ({ path, ...(await sha256File(path)) })));
    const contentHash = createHash('sha256').update(hashes.map((h) => `${h.sha256}  ${h.path}`).join('\n')).digest('hex');
    const existing = this.store.db.prepare('SELECT id, content_hash FROM records WHERE source_path = ?').get(rec.sourcePath) as { id: number; content_hash: string } | undefined;
    if (existing && existing.content_hash === contentHash) return { id: existing.id, status: 'unchanged', changes: [] };

    const changes: Change[] = [];
    let info = rec.info;
    let startDate = rec.startDate;
    if (opts.deidentify) {
      const d = deidentifyInfo(rec.info);
      info = d.lines;
      changes.push(...d.changes);
      startDate = deidentifyDate(rec.startDate, 'startDate', changes);
    }
    const counts = { ...aamiCounts(rec.annotations), other: 0, detected: opts.detected?.length ?? 0 };
    counts.other = rec.annotations.filter((a) => !AAMI[a.symbol]).length;
    const now = new Date().toISOString();
    const id = this.store.tx(() => {
      if (existing) this.store.db.prepare('DELETE FROM records WHERE id = ?').run(existing.id);
      const res = this.store.db
        .prepare(
          `INSERT INTO records (name, format, source_path, content_hash, frequency, num_frames, start_time, start_date, leads, info, class_counts, annotator, deidentified, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(rec.name, rec.format, rec.sourcePath, contentHash, rec.frequency, rec.numFrames, rec.startTime, startDate, JSON.stringify(rec.leads), JSON.stringify(info), JSON.stringify(counts), rec.annotator, opts.deidentify ? 1 : 0, now);
      const recordId = Number(res.lastInsertRowid);
      const fileStmt = this.store.db.prepare('INSERT INTO record_files (record_id, path, sha256, bytes) VALUES (?, ?, ?, ?)');
      for (const h of hashes) fileStmt.run(recordId, h.path, h.sha256, h.bytes);
      const annStmt = this.store.db.prepare('INSERT INTO annotations (record_id, sample, symbol, aami, subtype, chan, num, aux, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const a of rec.annotations) annStmt.run(recordId, a.sample, a.symbol, AAMI[a.symbol] ?? null, a.subtype, a.chan, a.num, a.aux, 'reference');
      for (const s of opts.detected ?? []) annStmt.run(recordId, s, 'Q', null, 0, 0, 0, null, 'detector');
      this.audit.append(existing ? 'record.reimport' : 'record.import', {
        record: rec.name,
        source: rec.sourcePath,
        contentHash,
        deidentified: opts.deidentify,
        // Where and what kind only: the removed values are never written anywhere.
        deidentification: changes.map((c) => ({ file: basename(rec.sourcePath), field: c.field, kind: c.kind })),
      });
      return recordId;
    });
    return { id, status: existing ? 'replaced' : 'imported', changes };
  }

  /** Reference beat annotations as (sample, AAMI class) pairs, for building datasets. */
  referenceBeats(id: number): { sample: number; aami: AamiClass }[] {
    return this.store.db.prepare("SELECT sample, aami FROM annotations WHERE record_id = ? AND source = 'reference' AND aami IS NOT NULL ORDER BY sample").all(id) as { sample: number; aami: AamiClass }[];
  }
}

