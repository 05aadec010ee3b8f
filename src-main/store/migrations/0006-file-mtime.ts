import type { Migration } from './index.ts';

// Re-import skips a file whose size and modification time match what was hashed, so an
// unchanged folder is not read again. Older rows have no mtime and are hashed once more.
const migration: Migration = {
  version: 6,
  name: 'file-mtime',
  up(db) {
    db.exec('ALTER TABLE record_files ADD COLUMN mtime_ms REAL');
  },
};
export default migration;
