import type { Migration } from './index.ts';

// Training runs: one row per run (a job may be resumed, so it keeps one run across launches),
// with its parameters, per-epoch metrics, the last checkpoint and the saved model's folder.
const migration: Migration = {
  version: 9,
  name: 'training-runs',
  up(db) {
    db.exec(`
      CREATE TABLE training_runs (
        id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL UNIQUE,
        model TEXT NOT NULL,
        dataset_id TEXT NOT NULL,
        params TEXT NOT NULL CHECK (json_valid(params)),
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
        epochs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(epochs) AND json_type(epochs) = 'array'),
        dir TEXT NOT NULL UNIQUE,
        checkpoint_path TEXT,
        model_dir TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX training_runs_by_created ON training_runs (created_at);
    `);
  },
};
export default migration;
