// SQL of the model registry and of stored per-beat predictions.
import type { Db } from '../db.ts';
import { ModelCardSchema, type ModelEntry, type Prediction } from '../../../src-shared/contract/index.ts';

interface ModelRow {
  name: string;
  kind: string;
  dataset_id: string | null;
  dataset_hash: string | null;
  classes: string;
  input_length: number;
  sampling_rate: number;
  model_hash: string;
  files: string;
  metrics: string;
  card: string;
  path: string;
  is_default: number;
  created_at: string;
}

function fromRow(r: ModelRow): ModelEntry {
  return {
    name: r.name,
    kind: r.kind,
    datasetId: r.dataset_id,
    datasetHash: r.dataset_hash,
    classes: JSON.parse(r.classes) as string[],
    inputLength: r.input_length,
    samplingRate: r.sampling_rate,
    modelHash: r.model_hash,
    metrics: JSON.parse(r.metrics) as Record<string, number>,
    card: ModelCardSchema.parse(JSON.parse(r.card)),
    path: r.path,
    isDefault: r.is_default === 1,
    createdAt: r.created_at,
  };
}

export interface StoredPrediction extends Omit<Prediction, 'reference'> {
  modelName: string;
  modelHash: string;
  createdAt: string;
}

export class ModelRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  list(): ModelEntry[] {
    return (this.db.prepare('SELECT * FROM models ORDER BY is_default DESC, name').all() as ModelRow[]).map(fromRow);
  }

  get(name: string): ModelEntry | null {
    const r = this.db.prepare('SELECT * FROM models WHERE name = ?').get(name) as ModelRow | undefined;
    return r ? fromRow(r) : null;
  }

  getDefault(): ModelEntry | null {
    const r = this.db.prepare('SELECT * FROM models WHERE is_default = 1').get() as ModelRow | undefined;
    return r ? fromRow(r) : null;
  }

  /** Inserts or refreshes a model (keeps its default flag). */
  upsert(m: Omit<ModelEntry, 'isDefault'>): void {
    this.db
      .prepare(
        `INSERT INTO models (name, kind, dataset_id, dataset_hash, classes, input_length, sampling_rate, model_hash, files, metrics, card, path, created_at)
         VALUES (@name, @kind, @datasetId, @datasetHash, @classes, @inputLength, @samplingRate, @modelHash, @files, @metrics, @card, @path, @createdAt)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, dataset_id = excluded.dataset_id, dataset_hash = excluded.dataset_hash, classes = excluded.classes,
           input_length = excluded.input_length, sampling_rate = excluded.sampling_rate, model_hash = excluded.model_hash, files = excluded.files,
           metrics = excluded.metrics, card = excluded.card, path = excluded.path, created_at = excluded.created_at`,
      )
      .run({ ...m, classes: JSON.stringify(m.classes), files: JSON.stringify(m.card.files), metrics: JSON.stringify(m.metrics), card: JSON.stringify(m.card) });
  }

  /** Makes `name` the one default; false if no such model. */
  setDefault(name: string): boolean {
    return this.db.transaction(() => {
      if (!this.get(name)) return false;
      this.db.prepare('UPDATE models SET is_default = 0 WHERE is_default = 1').run();
      this.db.prepare('UPDATE models SET is_default = 1 WHERE name = ?').run(name);
      return true;
    })();
  }

  /** Replaces a record's predictions as a whole. */
  replacePredictions(recordId: number, modelName: string, modelHash: string, rows: Omit<Prediction, 'reference'>[], createdAt: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM predictions WHERE record_id = ?').run(recordId);
      const ins = this.db.prepare('INSERT INTO predictions (record_id, sample, model_name, model_hash, predicted, probabilities, attacked, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const r of rows) ins.run(recordId, r.sample, modelName, modelHash, r.predicted, JSON.stringify(r.probabilities), r.attacked, createdAt);
    })();
  }

  predictions(recordId: number): StoredPrediction[] {
    const rows = this.db.prepare('SELECT sample, model_name, model_hash, predicted, probabilities, attacked, created_at FROM predictions WHERE record_id = ? ORDER BY sample').all(recordId) as {
      sample: number;
      model_name: string;
      model_hash: string;
      predicted: string;
      probabilities: string;
      attacked: number | null;
      created_at: string;
    }[];
    return rows.map((r) => ({ sample: r.sample, modelName: r.model_name, modelHash: r.model_hash, predicted: r.predicted, probabilities: JSON.parse(r.probabilities) as Record<string, number>, attacked: r.attacked, createdAt: r.created_at }));
  }
}
