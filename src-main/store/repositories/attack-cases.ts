// SQL of the saved Attack simulator cases. Rows hold JSON, parsed with the contract on the way out.
import type { Db } from '../db.ts';
import { AttackBeatInput, AttackCase, SimulatorResult, type AttackCaseSummary } from '../../../src-shared/contract/index.ts';

interface Row {
  id: number;
  name: string;
  created_at: string;
  input: string;
  result: string;
}

interface SummaryRow extends Omit<Row, 'result'> {
  model: string;
  record: string;
  reference: string | null;
  before: string;
  after: string;
}

export class AttackCaseRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  insert(c: { name: string; createdAt: string; input: AttackBeatInput; result: SimulatorResult }): number {
    const r = this.db
      .prepare('INSERT INTO attack_cases (name, created_at, input, result) VALUES (?, ?, ?, ?)')
      .run(c.name, c.createdAt, JSON.stringify(c.input), JSON.stringify(c.result));
    return Number(r.lastInsertRowid);
  }

  /** Newest first; the beats stay in the database (json_extract reads only the fields a list shows). */
  list(id?: number): AttackCaseSummary[] {
    const rows = this.db
      .prepare(
        `SELECT id, name, created_at, input, json_extract(result, '$.model') AS model, json_extract(result, '$.record') AS record,
                json_extract(result, '$.reference') AS reference, json_extract(result, '$.before.predicted') AS before,
                json_extract(result, '$.after.predicted') AS after
         FROM attack_cases ${id === undefined ? '' : 'WHERE id = @id'} ORDER BY created_at DESC, id DESC`,
      )
      .all(id === undefined ? {} : { id }) as SummaryRow[];
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, input: AttackBeatInput.parse(JSON.parse(r.input)), model: r.model, record: r.record, reference: r.reference, before: r.before, after: r.after }));
  }

  get(id: number): AttackCase | null {
    const r = this.db.prepare('SELECT * FROM attack_cases WHERE id = ?').get(id) as Row | undefined;
    return r ? AttackCase.parse({ id: r.id, name: r.name, createdAt: r.created_at, input: JSON.parse(r.input), result: JSON.parse(r.result) }) : null;
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM attack_cases WHERE id = ?').run(id).changes > 0;
  }
}
