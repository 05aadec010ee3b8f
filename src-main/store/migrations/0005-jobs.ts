import type { Migration } from './index.ts';

// Jobs survive restarts: kind, typed parameters (JSON), state, progress and metrics, result or
// error. `owner` names the process running it, so a new launch can tell a job it lost
// (interrupted) from one another live process is running; `cancel_requested` lets another
// process (the CLI) ask the owner to stop it.
const migration: Migration = {
  version: 5,
  name: 'jobs',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        params TEXT NOT NULL CHECK (json_valid(params)),
        progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
        message TEXT NOT NULL DEFAULT '',
        metrics TEXT CHECK (metrics IS NULL OR json_valid(metrics)),
        result TEXT CHECK (result IS NULL OR json_valid(result)),
        error TEXT CHECK (error IS NULL OR json_valid(error)),
        resource TEXT NOT NULL CHECK (resource IN ('compute', 'io')),
        resumable INTEGER NOT NULL CHECK (resumable IN (0, 1)),
        owner TEXT,
        cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX jobs_by_created ON jobs (created_at);
      CREATE INDEX jobs_active ON jobs (state) WHERE state IN ('queued', 'running');
    `);
  },
};
export default migration;
