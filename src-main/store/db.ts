// The only module that opens SQLite. The connection stays inside store/: everything else
// goes through the Store's repositories.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { AuditLog } from './audit.ts';
import { SettingsStore } from './settings.ts';
import { RecordRepository } from './repositories/records.ts';
import { DatasetRepository } from './repositories/datasets.ts';
import { JobRepository } from './repositories/jobs.ts';
import { ModelRepository } from './repositories/models.ts';
import { TrainingRepository } from './repositories/training.ts';
import { AuditRepository } from './repositories/audits.ts';
import { AttackCaseRepository } from './repositories/attack-cases.ts';

export type Db = Database.Database;

export interface Store {
  readonly path: string;
  readonly audit: AuditLog;
  readonly settings: SettingsStore;
  readonly records: RecordRepository;
  readonly datasets: DatasetRepository;
  readonly jobs: JobRepository;
  readonly models: ModelRepository;
  readonly training: TrainingRepository;
  readonly audits: AuditRepository;
  readonly attackCases: AttackCaseRepository;
  /** Runs fn in one IMMEDIATE transaction; any throw rolls everything back. */
  tx<T>(fn: () => T): T;
  close(): void;
}

/** Opens (creating if needed) and migrates the database file. Tests and store/ only. */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function openStore(path: string, migrations: readonly Migration[] = MIGRATIONS): Store {
  const db = openDatabase(path, migrations);
  const tx = <T>(fn: () => T): T => db.transaction(fn).immediate();
  const audit = new AuditLog(db);
  return {
    path,
    audit,
    settings: new SettingsStore(db, audit),
    records: new RecordRepository(db),
    datasets: new DatasetRepository(db),
    jobs: new JobRepository(db),
    models: new ModelRepository(db),
    training: new TrainingRepository(db),
    audits: new AuditRepository(db),
    attackCases: new AttackCaseRepository(db),
    tx,
    close: () => db.close(),
  };
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies each pending migration in its own transaction; already-applied ones are skipped. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1..n without gaps; found ${m.version} at ${i + 1}`);
  });
  const current = schemaVersion(db);
  if (current > sorted.length) {
    throw new Error(`Database schema version ${current} is newer than this app knows (${sorted.length}); update the app.`);
  }
  for (const m of sorted) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
