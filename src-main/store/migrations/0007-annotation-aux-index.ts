import type { Migration } from './index.ts';

// The record list asks for every record's rhythm labels (aux strings such as "(AFIB").
// Few annotations carry an aux string, so a partial index makes that a walk over those
// few instead of a scan of every beat (≈1 s for 2,000 half-hour records without it).
const migration: Migration = {
  version: 7,
  name: 'annotation-aux-index',
  up(db) {
    db.exec('CREATE INDEX annotations_aux ON annotations (record_id, aux) WHERE aux IS NOT NULL;');
  },
};
export default migration;
