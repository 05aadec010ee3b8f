// Numbered migrations, one file each. Append only: never edit a shipped migration.
import type Database from 'better-sqlite3';
import m0001 from './0001-settings.ts';
import m0002 from './0002-audit-log.ts';
import m0003 from './0003-records.ts';
import m0004 from './0004-datasets.ts';
import m0005 from './0005-jobs.ts';
import m0006 from './0006-file-mtime.ts';
import m0007 from './0007-annotation-aux-index.ts';
import m0008 from './0008-audit-head.ts';
import m0009 from './0009-training-runs.ts';
import m0010 from './0010-models.ts';
import m0011 from './0011-audits.ts';
import m0012 from './0012-attack-cases.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012];
