import type { Migration } from './index.ts';

// PLACEHOLDER for the training-runs migration another branch adds as 0009 (migrations must be
// numbered without gaps). On merge, replace this file with that branch's 0009.
const migration: Migration = {
  version: 9,
  name: 'training-runs-placeholder',
  up() {},
};
export default migration;
