import type { Migration } from './index.ts';

// Robustness audits: one row per audit (a resumed job keeps its audit), one row per finished grid
// cell with its figures and per-beat outcomes (correct, flagged) for the worst case over the suite,
// and a few adversarial examples per cell. A rerun points at the audit it re-ran.
const migration: Migration = {
  version: 11,
  name: 'audits',
  up(db) {
    db.exec(`
      CREATE TABLE audits (
        id TEXT PRIMARY KEY,
        job_id TEXT UNIQUE,
        rerun_of TEXT REFERENCES audits (id) ON DELETE SET NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
        input TEXT NOT NULL CHECK (json_valid(input) AND json_type(input) = 'object'),
        suite_specs TEXT NOT NULL CHECK (json_valid(suite_specs) AND json_type(suite_specs) = 'array'),
        classes TEXT NOT NULL CHECK (json_valid(classes) AND json_type(classes) = 'array'),
        provenance TEXT NOT NULL CHECK (json_valid(provenance) AND json_type(provenance) = 'object'),
        clean TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(clean) AND json_type(clean) = 'array'),
        beats INTEGER NOT NULL CHECK (beats >= 0),
        cells_total INTEGER NOT NULL CHECK (cells_total >= 0),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX audits_by_created ON audits (created_at);
      CREATE TABLE audit_cells (
        audit_id TEXT NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL CHECK (idx >= 0),
        model TEXT NOT NULL,
        label TEXT NOT NULL,
        eps REAL NOT NULL,
        figures TEXT NOT NULL CHECK (json_valid(figures) AND json_type(figures) = 'object'),
        correct BLOB NOT NULL,
        flagged BLOB,
        created_at TEXT NOT NULL,
        PRIMARY KEY (audit_id, idx),
        UNIQUE (audit_id, model, label, eps)
      ) STRICT;
      CREATE TABLE audit_examples (
        audit_id TEXT NOT NULL,
        cell_idx INTEGER NOT NULL,
        k INTEGER NOT NULL CHECK (k >= 0),
        example TEXT NOT NULL CHECK (json_valid(example) AND json_type(example) = 'object'),
        PRIMARY KEY (audit_id, cell_idx, k),
        FOREIGN KEY (audit_id, cell_idx) REFERENCES audit_cells (audit_id, idx) ON DELETE CASCADE
      ) STRICT;
    `);
  },
};
export default migration;
