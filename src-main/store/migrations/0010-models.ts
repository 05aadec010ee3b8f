import type { Migration } from './index.ts';

// The model registry (one row per registered model folder, verified by its card's hashes) and the
// stored per-beat predictions of a record, so reopening a record shows them at once. A record's
// predictions are replaced as a whole on re-classify.
const migration: Migration = {
  version: 10,
  name: 'models',
  up(db) {
    db.exec(`
      CREATE TABLE models (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        dataset_id TEXT,
        dataset_hash TEXT,
        classes TEXT NOT NULL CHECK (json_valid(classes)),
        input_length INTEGER NOT NULL CHECK (input_length > 0),
        sampling_rate REAL NOT NULL CHECK (sampling_rate > 0),
        model_hash TEXT NOT NULL,
        files TEXT NOT NULL CHECK (json_valid(files)),
        metrics TEXT NOT NULL CHECK (json_valid(metrics)),
        card TEXT NOT NULL CHECK (json_valid(card)),
        path TEXT NOT NULL,
        is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX models_one_default ON models (is_default) WHERE is_default = 1;
      CREATE TABLE predictions (
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        sample INTEGER NOT NULL,
        model_name TEXT NOT NULL,
        model_hash TEXT NOT NULL,
        predicted TEXT NOT NULL,
        probabilities TEXT NOT NULL CHECK (json_valid(probabilities)),
        attacked REAL CHECK (attacked IS NULL OR (attacked >= 0 AND attacked <= 1)),
        created_at TEXT NOT NULL,
        PRIMARY KEY (record_id, sample)
      ) STRICT;
    `);
  },
};
export default migration;
