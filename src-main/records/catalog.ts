// The record catalog. Imports are all-or-nothing: everything is read and validated first,
// then written in one transaction with its audit entry. SQL lives in the store's repository.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Store } from '../store/db.ts';
import type { RecordRow, StoredFile } from '../store/repositories/records.ts';
import { AAMI, aamiCounts } from '../signals/wfdb/annotations.ts';
import { deidentifyDate, deidentifyInfo, type Change } from './deidentify.ts';
import type { LoadedRecord } from './sources.ts';
import { sha256File } from '../common/hash.ts';
import { AppError } from '../../src-shared/errors.ts';
import type { AamiClass, RecordSummary, StoredAnnotation } from '../../src-shared/contract/index.ts';

export type ImportStatus = 'imported' | 'unchanged' | 'replaced';

function summary(r: RecordRow): RecordSummary {
  return { ...r, folder: dirname(r.sourcePath), durationSeconds: r.numFrames / r.frequency, files: r.files.map(({ path, sha256, bytes }) => ({ path, sha256, bytes })) };
}

/** True when every stored file still has the size and modification time it had when hashed. */
async function filesUnchanged(files: readonly StoredFile[]): Promise<boolean> {
  if (files.length === 0) return false;
  for (const f of files) {
    if (f.mtimeMs === null) return false;
    const st = await stat(f.path).catch(() => null);
    // Within a millisecond: copies and archives round mtimes to the ms (or coarser).
    if (!st || st.size !== f.bytes || Math.abs(st.mtimeMs - f.mtimeMs) >= 1) return false;
  }
  return true;
}

export class RecordCatalog {
  private readonly store: Store;
  constructor(store: Store) {
    this.store = store;
  }

  list(): RecordSummary[] {
    return this.store.records.list().map(summary);
  }

  get(id: number): RecordSummary {
    const row = this.store.records.get(id);
    if (!row) throw new AppError('NOT_FOUND', `No record with id ${id}`);
    return summary(row);
  }

  /**
   * A record by id, by source path, by `folder/name`, or by name when only one record has
   * it; an ambiguous name is refused with the candidates listed.
   */
  resolve(ref: string): RecordSummary {
    const trimmed = ref.trim();
    if (/^\d+$/.test(trimmed)) {
      const byId = this.store.records.get(Number(trimmed));
      if (byId) return summary(byId);
    }
    const bySource = this.store.records.bySource(trimmed) ?? this.store.records.bySource(`${trimmed}.hea`);
    if (bySource) return summary(bySource);
    const slash = trimmed.lastIndexOf('/');
    const name = slash >= 0 ? trimmed.slice(slash + 1) : trimmed;
    let hits = this.store.records.byName(name);
    if (slash >= 0) hits = hits.filter((r) => dirname(r.sourcePath) === trimmed.slice(0, slash) || dirname(r.sourcePath).endsWith(trimmed.slice(0, slash)));
    if (hits.length === 1) return summary(hits[0]!);
    if (hits.length === 0) throw new AppError('NOT_FOUND', `No record "${ref}" in the catalog (give an id, a name, or folder/name; "ecgatk records" lists them)`);
    throw new AppError(
      'CONFLICT',
      `"${ref}" names ${hits.length} records; give the id or the folder:\n${hits.map((r) => `  ${r.id}  ${dirname(r.sourcePath)}/${r.name}`).join('\n')}`,
      { candidates: hits.map((r) => ({ id: r.id, folder: dirname(r.sourcePath), name: r.name })) },
    );
  }

  annotationsBetween(id: number, from: number, to: number, limit?: number): StoredAnnotation[] {
    return this.store.records.annotationsBetween(id, from, to, limit);
  }

  findBeat(q: { recordId: number; from: number; direction: 'next' | 'prev'; aami?: AamiClass; symbol?: string }): StoredAnnotation | null {
    return this.store.records.findBeat(q);
  }

  /** Reference beat annotations as (sample, AAMI class) pairs, for building datasets. */
  referenceBeats(id: number): { sample: number; aami: AamiClass }[] {
    return this.store.records.referenceBeats(id);
  }

  /** The catalog record of a source whose files have not changed since import (size and mtime), or null. */
  async unchangedSource(sourcePath: string): Promise<{ id: number; name: string } | null> {
    const row = this.store.records.bySource(sourcePath);
    return row && (await filesUnchanged(row.files)) ? { id: row.id, name: row.name } : null;
  }

  /** Writes a fully loaded record; same source and same bytes is a no-op. */
  async importLoaded(rec: LoadedRecord, opts: { deidentify: boolean; detected?: number[] }): Promise<{ id: number; status: ImportStatus; changes: Change[] }> {
    const files = await Promise.all(rec.files.map(async (path) => ({ path, ...(await sha256File(path)) })));
    const contentHash = createHash('sha256').update(files.map((h) => `${h.sha256}  ${h.path}`).join('\n')).digest('hex');
    const existing = this.store.records.bySource(rec.sourcePath);
    if (existing && existing.contentHash === contentHash) {
      // Same bytes: refresh the stored mtimes so the next re-import takes the cheap path.
      this.store.records.updateFiles(existing.id, files);
      return { id: existing.id, status: 'unchanged', changes: [] };
    }

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
    const annotations = [
      ...rec.annotations.map((a) => ({ sample: a.sample, symbol: a.symbol, aami: AAMI[a.symbol] ?? null, subtype: a.subtype, chan: a.chan, num: a.num, aux: a.aux, source: 'reference' as const })),
      ...(opts.detected ?? []).map((s) => ({ sample: s, symbol: 'Q', aami: null, subtype: 0, chan: 0, num: 0, aux: null, source: 'detector' as const })),
    ];
    const id = this.store.tx(() => {
      const recordId = this.store.records.insert(
        {
          name: rec.name,
          format: rec.format,
          sourcePath: rec.sourcePath,
          contentHash,
          frequency: rec.frequency,
          numFrames: rec.numFrames,
          startTime: rec.startTime,
          startDate,
          leads: rec.leads,
          info,
          classCounts: counts,
          annotator: rec.annotator,
          deidentified: opts.deidentify,
          importedAt: new Date().toISOString(),
          files,
        },
        annotations,
      );
      this.store.audit.append(existing ? 'record.reimport' : 'record.import', {
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
}
