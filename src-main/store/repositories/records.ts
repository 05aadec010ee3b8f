// SQL of the record catalog: records, their files (with size and mtime for the cheap
// unchanged check) and their annotations.
import type { Db } from '../db.ts';
import type { AamiClass, ClassCounts, LeadInfo, RecordFormat, RecordSummary, StoredAnnotation } from '../../../src-shared/contract/index.ts';

/** A catalog row: the contract's summary less what is derived from it (folder, duration), with file mtimes. */
export type RecordRow = Omit<RecordSummary, 'folder' | 'durationSeconds' | 'files'> & { files: StoredFile[] };

export interface StoredFile {
  path: string;
  sha256: string;
  bytes: number;
  /** Modification time in ms when hashed; null for rows from before migration 6. */
  mtimeMs: number | null;
}

export type NewRecord = Omit<RecordRow, 'id'>;
export type NewAnnotation = Omit<StoredAnnotation, 'aami'> & { aami: AamiClass | null };

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

export class RecordRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  private toRecord(r: Row): RecordRow {
    const files = (this.db.prepare('SELECT path, sha256, bytes, mtime_ms FROM record_files WHERE record_id = ? ORDER BY path').all(r.id) as { path: string; sha256: string; bytes: number; mtime_ms: number | null }[]).map(
      (f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes, mtimeMs: f.mtime_ms }),
    );
    return {
      id: r.id,
      name: r.name,
      format: r.format,
      sourcePath: r.source_path,
      contentHash: r.content_hash,
      frequency: r.frequency,
      numFrames: r.num_frames,
      startTime: r.start_time,
      startDate: r.start_date,
      leads: JSON.parse(r.leads) as LeadInfo[],
      info: JSON.parse(r.info) as string[],
      classCounts: JSON.parse(r.class_counts) as ClassCounts,
      annotator: r.annotator,
      deidentified: r.deidentified === 1,
      importedAt: r.imported_at,
      files,
    };
  }

  /** Rows in the catalog's tables (records, their files and annotations). */
  rowCount(): number {
    return (this.db.prepare('SELECT (SELECT COUNT(*) FROM records) + (SELECT COUNT(*) FROM annotations) + (SELECT COUNT(*) FROM record_files) AS n').get() as { n: number }).n;
  }

  list(): RecordRow[] {
    return (this.db.prepare('SELECT * FROM records ORDER BY name, source_path, id').all() as Row[]).map((r) => this.toRecord(r));
  }

  get(id: number): RecordRow | null {
    const row = this.db.prepare('SELECT * FROM records WHERE id = ?').get(id) as Row | undefined;
    return row ? this.toRecord(row) : null;
  }

  /** Every record with this name (records from different folders may share one). */
  byName(name: string): RecordRow[] {
    return (this.db.prepare('SELECT * FROM records WHERE name = ? ORDER BY source_path, id').all(name) as Row[]).map((r) => this.toRecord(r));
  }

  bySource(sourcePath: string): RecordRow | null {
    const row = this.db.prepare('SELECT * FROM records WHERE source_path = ?').get(sourcePath) as Row | undefined;
    return row ? this.toRecord(row) : null;
  }

  /** Replaces any record from the same source; call inside a transaction. */
  insert(rec: NewRecord, annotations: readonly NewAnnotation[]): number {
    this.db.prepare('DELETE FROM records WHERE source_path = ?').run(rec.sourcePath);
    const res = this.db
      .prepare(
        `INSERT INTO records (name, format, source_path, content_hash, frequency, num_frames, start_time, start_date, leads, info, class_counts, annotator, deidentified, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        rec.name,
        rec.format,
        rec.sourcePath,
        rec.contentHash,
        rec.frequency,
        rec.numFrames,
        rec.startTime,
        rec.startDate,
        JSON.stringify(rec.leads),
        JSON.stringify(rec.info),
        JSON.stringify(rec.classCounts),
        rec.annotator,
        rec.deidentified ? 1 : 0,
        rec.importedAt,
      );
    const id = Number(res.lastInsertRowid);
    const fileStmt = this.db.prepare('INSERT INTO record_files (record_id, path, sha256, bytes, mtime_ms) VALUES (?, ?, ?, ?, ?)');
    for (const f of rec.files) fileStmt.run(id, f.path, f.sha256, f.bytes, f.mtimeMs);
    const annStmt = this.db.prepare('INSERT INTO annotations (record_id, sample, symbol, aami, subtype, chan, num, aux, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const a of annotations) annStmt.run(id, a.sample, a.symbol, a.aami, a.subtype, a.chan, a.num, a.aux, a.source);
    return id;
  }

  /** New size/mtime/hash for a record's files (same content, touched on disk). */
  updateFiles(id: number, files: readonly StoredFile[]): void {
    const stmt = this.db.prepare('UPDATE record_files SET sha256 = ?, bytes = ?, mtime_ms = ? WHERE record_id = ? AND path = ?');
    this.db.transaction(() => {
      for (const f of files) stmt.run(f.sha256, f.bytes, f.mtimeMs, id, f.path);
    })();
  }

  annotationsBetween(id: number, from: number, to: number, limit = 50_000): StoredAnnotation[] {
    return this.db
      .prepare('SELECT sample, symbol, aami, subtype, chan, num, aux, source FROM annotations WHERE record_id = ? AND sample >= ? AND sample < ? ORDER BY sample LIMIT ?')
      .all(id, from, to, limit) as StoredAnnotation[];
  }

  /** The nearest beat strictly after (next) or before (prev) a frame, of an AAMI class or MIT label (any beat if neither). */
  findBeat(q: { recordId: number; from: number; direction: 'next' | 'prev'; aami?: AamiClass; symbol?: string }): StoredAnnotation | null {
    const next = q.direction === 'next';
    const where = ['record_id = ?', `sample ${next ? '>' : '<'} ?`];
    const args: (string | number)[] = [q.recordId, q.from];
    if (q.aami) {
      where.push('aami = ?');
      args.push(q.aami);
    }
    if (q.symbol) {
      where.push('symbol = ?');
      args.push(q.symbol);
    }
    if (!q.aami && !q.symbol) where.push("(aami IS NOT NULL OR source = 'detector')");
    const row = this.db
      .prepare(`SELECT sample, symbol, aami, subtype, chan, num, aux, source FROM annotations WHERE ${where.join(' AND ')} ORDER BY sample ${next ? 'ASC' : 'DESC'} LIMIT 1`)
      .get(...args) as StoredAnnotation | undefined;
    return row ?? null;
  }

  /** (record, aux) pairs of annotations whose aux may be a rhythm change ("(AFIB", "(N"…). */
  rhythmAux(): { recordId: number; aux: string }[] {
    // "aux IS NOT NULL" lets SQLite use the partial index annotations_aux (migration 0007).
    return this.db.prepare("SELECT DISTINCT record_id AS recordId, aux FROM annotations WHERE aux IS NOT NULL AND aux LIKE '(%' ORDER BY record_id").all() as { recordId: number; aux: string }[];
  }

  /** Reference beat annotations as (sample, AAMI class) pairs, for building datasets. */
  referenceBeats(id: number): { sample: number; aami: AamiClass }[] {
    return this.db.prepare("SELECT sample, aami FROM annotations WHERE record_id = ? AND source = 'reference' AND aami IS NOT NULL ORDER BY sample").all(id) as { sample: number; aami: AamiClass }[];
  }
}
