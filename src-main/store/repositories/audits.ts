// SQL of the robustness audits: the audit row, its finished grid cells (figures as JSON, per-beat
// outcomes as bytes) and examples. JSON is parsed with the contract on the way out.
import type { Db } from '../db.ts';
import { AttackSpec, AuditCell, AuditClean, AuditExample, Provenance, type AuditSummary } from '../../../src-shared/contract/index.ts';
import { z } from 'zod';

export interface AuditRow {
  id: string;
  jobId: string | null;
  rerunOf: string | null;
  status: AuditSummary['status'];
  /** The validated AuditInput, as stored. */
  input: Record<string, unknown>;
  suiteSpecs: AttackSpec[];
  classes: string[];
  provenance: Provenance;
  clean: AuditClean[];
  beats: number;
  cellsTotal: number;
  cellsDone: number;
  createdAt: string;
  finishedAt: string | null;
}

export interface AuditCellRow {
  idx: number;
  figures: AuditCell;
  /** 1 where the adversarial beat was classified right. */
  correct: Uint8Array;
  /** 1 where the detector flagged the adversarial beat; null without a detector. */
  flagged: Uint8Array | null;
}

export type NewAudit = Omit<AuditRow, 'cellsDone' | 'clean' | 'finishedAt' | 'status'>;
export type AuditPatch = Partial<Pick<AuditRow, 'status' | 'provenance' | 'clean' | 'finishedAt'>>;

interface Row {
  id: string;
  job_id: string | null;
  rerun_of: string | null;
  status: string;
  input: string;
  suite_specs: string;
  classes: string;
  provenance: string;
  clean: string;
  beats: number;
  cells_total: number;
  cells_done: number;
  created_at: string;
  finished_at: string | null;
}

const SELECT = 'SELECT a.*, (SELECT COUNT(*) FROM audit_cells c WHERE c.audit_id = a.id) AS cells_done FROM audits a';

function fromRow(r: Row): AuditRow {
  return {
    id: r.id,
    jobId: r.job_id,
    rerunOf: r.rerun_of,
    status: r.status as AuditRow['status'],
    input: JSON.parse(r.input) as Record<string, unknown>,
    suiteSpecs: z.array(AttackSpec).parse(JSON.parse(r.suite_specs)),
    classes: z.array(z.string()).parse(JSON.parse(r.classes)),
    provenance: Provenance.parse(JSON.parse(r.provenance)),
    clean: z.array(AuditClean).parse(JSON.parse(r.clean)),
    beats: r.beats,
    cellsTotal: r.cells_total,
    cellsDone: r.cells_done,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

const bytes = (b: Buffer | null): Uint8Array | null => (b === null ? null : new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice());

export class AuditRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  insert(a: NewAudit): AuditRow {
    const now = new Date().toISOString();
    this.db
      .prepare(
        "INSERT INTO audits (id, job_id, rerun_of, status, input, suite_specs, classes, provenance, beats, cells_total, created_at, updated_at) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(a.id, a.jobId, a.rerunOf, JSON.stringify(a.input), JSON.stringify(a.suiteSpecs), JSON.stringify(a.classes), JSON.stringify(Provenance.parse(a.provenance)), a.beats, a.cellsTotal, a.createdAt, now);
    return this.get(a.id)!;
  }

  update(id: string, patch: AuditPatch): void {
    const sets: string[] = ['updated_at = @updatedAt'];
    const values: Record<string, unknown> = { id, updatedAt: new Date().toISOString() };
    if (patch.status !== undefined) (sets.push('status = @status'), (values.status = patch.status));
    if (patch.provenance !== undefined) (sets.push('provenance = @provenance'), (values.provenance = JSON.stringify(Provenance.parse(patch.provenance))));
    if (patch.clean !== undefined) (sets.push('clean = @clean'), (values.clean = JSON.stringify(patch.clean.map((c) => AuditClean.parse(c)))));
    if (patch.finishedAt !== undefined) (sets.push('finished_at = @finishedAt'), (values.finishedAt = patch.finishedAt));
    this.db.prepare(`UPDATE audits SET ${sets.join(', ')} WHERE id = @id`).run(values);
  }

  get(id: string): AuditRow | null {
    const r = this.db.prepare(`${SELECT} WHERE a.id = ?`).get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  byJob(jobId: string): AuditRow | null {
    const r = this.db.prepare(`${SELECT} WHERE a.job_id = ?`).get(jobId) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** An audit by id, job id or a unique id prefix (as printed in short tables). */
  find(ref: string): AuditRow | null {
    const exact = this.db.prepare(`${SELECT} WHERE a.id = @ref OR a.job_id = @ref LIMIT 1`).get({ ref }) as Row | undefined;
    if (exact) return fromRow(exact);
    const prefixed = this.db.prepare(`${SELECT} WHERE substr(a.id, 1, length(@ref)) = @ref LIMIT 2`).all({ ref }) as Row[];
    return prefixed.length === 1 && ref.length >= 6 ? fromRow(prefixed[0]!) : null;
  }

  list(limit: number): AuditRow[] {
    return (this.db.prepare(`${SELECT} ORDER BY a.created_at DESC, a.rowid DESC LIMIT ?`).all(limit) as Row[]).map(fromRow);
  }

  /** Stores one finished cell and its examples together: a cell is either wholly there or absent. */
  insertCell(auditId: string, cell: AuditCellRow, examples: readonly AuditExample[]): void {
    const figures = AuditCell.parse(cell.figures);
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO audit_cells (audit_id, idx, model, label, eps, figures, correct, flagged, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(auditId, cell.idx, figures.model, figures.label, figures.eps, JSON.stringify(figures), Buffer.from(cell.correct), cell.flagged ? Buffer.from(cell.flagged) : null, new Date().toISOString());
      const ins = this.db.prepare('INSERT INTO audit_examples (audit_id, cell_idx, k, example) VALUES (?, ?, ?, ?)');
      examples.forEach((e, k) => ins.run(auditId, cell.idx, k, JSON.stringify(AuditExample.parse(e))));
    })();
  }

  cells(auditId: string): AuditCellRow[] {
    const rows = this.db.prepare('SELECT idx, figures, correct, flagged FROM audit_cells WHERE audit_id = ? ORDER BY idx').all(auditId) as { idx: number; figures: string; correct: Buffer; flagged: Buffer | null }[];
    return rows.map((r) => ({ idx: r.idx, figures: AuditCell.parse(JSON.parse(r.figures)), correct: bytes(r.correct)!, flagged: bytes(r.flagged) }));
  }

  examples(auditId: string): AuditExample[] {
    const rows = this.db.prepare('SELECT example FROM audit_examples WHERE audit_id = ? ORDER BY cell_idx, k').all(auditId) as { example: string }[];
    return rows.map((r) => AuditExample.parse(JSON.parse(r.example)));
  }
}
