import type { Migration } from './index.ts';

// Saved Attack simulator cases: the request and its full result (beats, verdicts, norms) as JSON,
// so a case reopens exactly as it was run, whatever the models or records later become.
const migration: Migration = {
  version: 12,
  name: 'attack-cases',
  up(db) {
    db.exec(`
      CREATE TABLE attack_cases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL CHECK (length(name) > 0),
        created_at TEXT NOT NULL,
        input TEXT NOT NULL CHECK (json_valid(input) AND json_type(input) = 'object'),
        result TEXT NOT NULL CHECK (json_valid(result) AND json_type(result) = 'object')
      ) STRICT;
      CREATE INDEX attack_cases_created ON attack_cases (created_at);
    `);
  },
};
export default migration;
