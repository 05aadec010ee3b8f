import type { Migration } from './index.ts';

// The audit log's anchor: one row holding the entry count and the last entry's id and hash,
// with an HMAC under a key kept outside the database. The hash chain alone cannot show that
// rows were cut from the end or that the whole table was rewritten; the anchor can.
// The row is written by the app on first use (it needs the key), not here.
const migration: Migration = {
  version: 8,
  name: 'audit-head',
  up(db) {
    db.exec(`
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        count INTEGER NOT NULL CHECK (count >= 0),
        last_id INTEGER NOT NULL,
        last_hash TEXT NOT NULL,
        anomaly TEXT,
        mac TEXT NOT NULL
      ) STRICT;
    `);
  },
};
export default migration;
