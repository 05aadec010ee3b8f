import type { Migration } from './index.ts';

// The record catalog: one row per imported record, its files with hashes, and its
// annotations indexed by (record, sample) so the viewer's "beats between t0 and t1" is a range scan.
const migration: Migration = {
  version: 3,
  name: 'records',
  up(db) {
    db.exec(`
      CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('wfdb', 'edf', 'csv')),
        source_path TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        frequency REAL NOT NULL CHECK (frequency > 0),
        num_frames INTEGER NOT NULL CHECK (num_frames >= 0),
        start_time TEXT,
        start_date TEXT,
        leads TEXT NOT NULL CHECK (json_valid(leads)),
        info TEXT NOT NULL CHECK (json_valid(info)),
        class_counts TEXT NOT NULL CHECK (json_valid(class_counts)),
        annotator TEXT,
        deidentified INTEGER NOT NULL CHECK (deidentified IN (0, 1)),
        imported_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE record_files (
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        PRIMARY KEY (record_id, path)
      ) STRICT;
      CREATE TABLE annotations (
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        sample INTEGER NOT NULL,
        symbol TEXT NOT NULL,
        aami TEXT CHECK (aami IN ('N', 'S', 'V', 'F', 'Q')),
        subtype INTEGER NOT NULL,
        chan INTEGER NOT NULL,
        num INTEGER NOT NULL,
        aux TEXT,
        source TEXT NOT NULL CHECK (source IN ('reference', 'detector'))
      ) STRICT;
      CREATE INDEX annotations_by_time ON annotations (record_id, sample);
    `);
  },
};
export default migration;
