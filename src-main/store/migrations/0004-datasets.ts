import type { Migration } from './index.ts';

// Beat datasets: the arrays live in files beside the database; the manifest (sources with
// hashes, parameters, class counts, split) and the dataset's own hash live here.
const migration: Migration = {
  version: 4,
  name: 'datasets',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL,
        manifest TEXT NOT NULL CHECK (json_valid(manifest)),
        path TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
export default migration;
