import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src-main/store/db.ts';
import { AuditLog } from '../../../src-main/store/audit.ts';
import { canonicalJson } from '../../../src-main/common/hash.ts';

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
