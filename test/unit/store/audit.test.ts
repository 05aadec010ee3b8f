import { describe, it, expect, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { migrate, openDatabase } from '../../../src-main/store/db.ts';
import { AuditLog, AUDIT_KEY_FILE } from '../../../src-main/store/audit.ts';
import { canonicalJson } from '../../../src-main/common/hash.ts';
import { tempDir } from '../../helpers.ts';

function fresh(): { db: Database.Database; log: AuditLog } {
  const db = new Database(':memory:');
  migrate(db);
  return { db, log: new AuditLog(db) };
}

describe('audit log', () => {
  it('chains entries and verifies', () => {
    const { log } = fresh();
    const a = log.append('import', { file: '100.hea' });
    const b = log.append('settings.update', { backend: 'wasm' });
    expect(b.id).toBe(a.id + 1);
    expect(log.verify()).toEqual({ ok: true, checked: 2, firstBadId: null, reason: null });
    expect(log.list(10).map((e) => e.action)).toEqual(['settings.update', 'import']);
  });

  it('detects an edited row', () => {
    const { db, log } = fresh();
    log.append('import', { file: '100.hea' });
    log.append('import', { file: '101.hea' });
    log.append('import', { file: '102.hea' });
    // An attacker with the file bypasses the app's triggers.
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET details = ? WHERE id = 2").run(canonicalJson({ file: 'evil.hea' }));
    const v = log.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBadId).toBe(2);
    expect(v.reason).toMatch(/modified/);
  });

  it('detects a deleted row and a re-hashed row that breaks the link', () => {
    const { db, log } = fresh();
    for (let i = 0; i < 4; i++) log.append('x', { i });
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id = 3').run();
    const v = log.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBadId).toBe(4);
    expect(v.reason).toMatch(/missing/);
  });

  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(canonicalJson({ a: [1, { c: 3, d: 2 }], b: 1 }));
  });
});

describe('audit log anchor (head with a keyed MAC, key file beside the database)', () => {
  // Put back after a tamper, so that only the anchor can tell.
  const NO_DELETE_TRIGGER = "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;";
  const dirs: (() => void)[] = [];
  afterAll(() => dirs.forEach((c) => c()));

  /** A file database in a temp folder with n entries; the key file lands next to it. */
  function onDisk(n: number): { db: Database.Database; log: AuditLog; dbPath: string; keyPath: string; reopen: () => AuditLog } {
    const dir = tempDir();
    dirs.push(dir.cleanup);
    const dbPath = join(dir.path, 'ecgatk.sqlite');
    const db = openDatabase(dbPath);
    dirs.unshift(() => db.close());
    const log = new AuditLog(db);
    for (let i = 0; i < n; i++) log.append('import', { file: `${100 + i}.hea` });
    return { db, log, dbPath, keyPath: join(dir.path, AUDIT_KEY_FILE), reopen: () => new AuditLog(db) };
  }

  it('creates a private key file next to the database and verifies across reopening', () => {
    const { log, keyPath, reopen } = onDisk(3);
    expect(existsSync(keyPath)).toBe(true);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(log.verify()).toEqual({ ok: true, checked: 3, firstBadId: null, reason: null });
    const again = reopen();
    expect(again.verify().ok).toBe(true);
    again.append('x', {});
    expect(again.verify()).toMatchObject({ ok: true, checked: 4 });
  });

  it('detects a deleted last row (truncation), and keeps detecting it after later appends', () => {
    const { db, log } = onDisk(4);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id = 4').run();
    const v = log.verify();
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/removed from the end/);
    log.append('after', {});
    const later = log.verify();
    expect(later.ok).toBe(false);
    expect(later.reason).toMatch(/when entry 4 was appended/);
  });

  it('detects a deleted middle row', () => {
    const { db, log } = onDisk(4);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(log.verify()).toMatchObject({ ok: false, firstBadId: 3 });
  });

  it('detects an edited row', () => {
    const { db, log } = onDisk(3);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare('UPDATE audit_log SET actor = ? WHERE id = 1').run('someone-else');
    expect(log.verify()).toMatchObject({ ok: false, firstBadId: 1 });
  });

  it('detects the whole table rewritten as a consistent new chain, with or without a new head', () => {
    const { db, log } = onDisk(3);
    // The forger builds a valid chain (and head) of their own, without the installation's key.
    const forged = new Database(':memory:');
    migrate(forged);
    const forger = new AuditLog(forged);
    for (let i = 0; i < 3; i++) forger.append('import', { file: `forged-${i}.hea` });
    expect(forger.verify().ok).toBe(true);
    db.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log;');
    const ins = db.prepare('INSERT INTO audit_log (id, ts, actor, action, details, prev_hash, hash) VALUES (@id, @ts, @actor, @action, @details, @prev_hash, @hash)');
    for (const r of forged.prepare('SELECT * FROM audit_log ORDER BY id').all()) ins.run(r);
    db.exec(NO_DELETE_TRIGGER);
    const kept = log.verify();
    expect(kept.ok).toBe(false);
    expect(kept.reason).toMatch(/anchor/);
    const head = forged.prepare('SELECT * FROM audit_head').get() as Record<string, unknown>;
    db.prepare('UPDATE audit_head SET count = @count, last_id = @last_id, last_hash = @last_hash, anomaly = @anomaly, mac = @mac').run(head);
    const replaced = log.verify();
    expect(replaced.ok).toBe(false);
    expect(replaced.reason).toMatch(/MAC/);
  });

  it('detects dropped or defused append-only triggers', () => {
    for (const name of ['audit_log_no_update', 'audit_log_no_delete']) {
      const { db, log } = onDisk(2);
      db.exec(`DROP TRIGGER ${name}`);
      const v = log.verify();
      expect(v.ok).toBe(false);
      expect(v.reason).toContain(name);
      // Same name, but it never fires.
      db.exec(`CREATE TRIGGER ${name} BEFORE INSERT ON audit_log WHEN 0 BEGIN SELECT RAISE(ABORT, 'x'); END`);
      expect(log.verify()).toMatchObject({ ok: false, reason: expect.stringContaining(name) });
    }
  });

  it('a replaced key file fails the MAC; a new database beside an old key starts a fresh anchor', () => {
    const { log, keyPath, reopen } = onDisk(2);
    expect(log.verify().ok).toBe(true);
    rmSync(keyPath);
    expect(reopen().verify()).toMatchObject({ ok: false, reason: expect.stringMatching(/MAC/) });

    const other = onDisk(0);
    other.log.append('x', {});
    const db = openDatabase(join(dirname(other.dbPath), 'fresh.sqlite'));
    dirs.unshift(() => db.close());
    // Same folder, so same key file; an empty database is simply anchored.
    const fresh = new AuditLog(db, other.keyPath);
    fresh.append('y', {});
    expect(fresh.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it('a log from before the anchor existed (no head, no key yet) is anchored as found on first use', () => {
    const { db, keyPath, reopen } = onDisk(3);
    db.exec('DELETE FROM audit_head');
    rmSync(keyPath);
    expect(reopen().verify()).toMatchObject({ ok: true, checked: 3 });
  });

  it('a head deleted while the key file exists is reported, not silently re-anchored', () => {
    const { db, reopen } = onDisk(3);
    db.exec('DELETE FROM audit_head');
    expect(reopen().verify()).toMatchObject({ ok: false, reason: expect.stringMatching(/no anchor/) });
  });
});
