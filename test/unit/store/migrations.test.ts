import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion, openDatabase } from '../../../src-main/store/db.ts';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts';
import { tempDir } from '../../helpers.ts';
import { join } from 'node:path';

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('are numbered 1..n', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('apply to an empty database and are idempotent', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const before = tables(db);
    expect(migrate(db)).toEqual([]);
    expect(tables(db)).toEqual(before);
    db.close();
  });

  it('refuses a database from a newer app', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this app/);
    db.close();
  });

  it('roll back a failing migration entirely', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: (d: Database.Database) => { d.exec('CREATE TABLE half (x INTEGER) STRICT'); throw new Error('boom'); } }];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('0001 settings: STRICT table that only takes JSON values', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('a', '1', 'now')").run();
    expect(() => db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('b', 'not json', 'now')").run()).toThrow();
    db.close();
  });

  it('0002 audit log: rows cannot be updated or deleted', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare("INSERT INTO audit_log (id, ts, actor, action, details, prev_hash, hash) VALUES (1, 't', 'a', 'x', '{}', 'p', 'h')").run();
    expect(() => db.prepare("UPDATE audit_log SET action = 'y'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });

  it('0005 jobs: states and JSON columns are checked', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 5));
    const insert = db.prepare("INSERT INTO jobs (id, kind, state, params, resource, resumable, created_at) VALUES (?, 'k', ?, ?, 'io', 0, 'now')");
    insert.run('a', 'queued', '{}');
    expect(() => insert.run('b', 'done', '{}')).toThrow(/CHECK/);
    expect(() => insert.run('c', 'running', 'not json')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE jobs SET progress = 2 WHERE id = 'a'").run()).toThrow(/CHECK/);
    db.close();
  });

  it('0006 file mtime: existing file rows keep their data with a null mtime', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 5));
    db.prepare("INSERT INTO records (id, name, format, source_path, content_hash, frequency, num_frames, leads, info, class_counts, deidentified, imported_at) VALUES (1, 'r', 'wfdb', '/r.hea', 'h', 360, 10, '[]', '[]', '{}', 1, 'now')").run();
    db.prepare("INSERT INTO record_files (record_id, path, sha256, bytes) VALUES (1, '/r.hea', 'x', 5)").run();
    migrate(db, MIGRATIONS.slice(0, 6));
    expect(db.prepare('SELECT path, bytes, mtime_ms FROM record_files').get()).toEqual({ path: '/r.hea', bytes: 5, mtime_ms: null });
    db.close();
  });

  it('0007 annotation aux index: the rhythm query uses it', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 7));
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT DISTINCT record_id, aux FROM annotations WHERE aux IS NOT NULL AND aux LIKE '(%'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/annotations_aux/);
    db.close();
  });

  it('0012 attack cases: named, input and result JSON objects; a database at 11 gains the table and keeps its data', () => {
    const db = new Database(':memory:');
    const at12 = MIGRATIONS.findIndex((m) => m.version === 12);
    migrate(db, MIGRATIONS.slice(0, at12));
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('a', '1', 'now')").run();
    expect(tables(db)).not.toContain('attack_cases');
    expect(migrate(db, MIGRATIONS.slice(0, at12 + 1))).toEqual([12]);
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '1' });
    const insert = db.prepare("INSERT INTO attack_cases (name, created_at, input, result) VALUES (?, 'now', ?, ?)");
    expect(insert.run('case', '{"record":"100"}', '{"model":"m"}').lastInsertRowid).toBe(1);
    expect(() => insert.run('', '{}', '{}')).toThrow(/CHECK/);
    expect(() => insert.run('x', 'not json', '{}')).toThrow(/CHECK/);
    expect(() => insert.run('x', '{}', 'not json')).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO attack_cases (name, created_at, input, result) VALUES ('x', 'now', '{}', '[1]')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('openDatabase turns on WAL and foreign keys', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir.path, 'x.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    dir.cleanup();
  });
});
