// Append-only audit log with a SHA-256 hash chain, anchored by a head (entry count, last id,
// last hash) that carries an HMAC-SHA256 under a per-installation key kept in a file beside the
// database. The chain shows edits and gaps; the anchor shows rows cut from the end and a table
// rewritten as a new consistent chain, which the chain alone cannot.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './db.ts';
import { canonicalJson } from '../common/hash.ts';
import type { AuditEntry, AuditVerification } from '../../src-shared/contract/index.ts';

export const GENESIS_HASH = '0'.repeat(64);
/** The key file's name, in the folder of the database. */
export const AUDIT_KEY_FILE = 'audit.key';
/** Triggers (migration 0002) that make audit_log append-only; verify checks they are still there, unconditional. */
const APPEND_ONLY_TRIGGERS: Record<string, RegExp> = {
  audit_log_no_update: /^CREATE TRIGGER audit_log_no_update\s+BEFORE UPDATE ON audit_log\s+BEGIN SELECT RAISE\(ABORT,/i,
  audit_log_no_delete: /^CREATE TRIGGER audit_log_no_delete\s+BEFORE DELETE ON audit_log\s+BEGIN SELECT RAISE\(ABORT,/i,
};

interface Head {
  count: number;
  lastId: number;
  lastHash: string;
  /** The first mismatch the app found between log and anchor while appending; kept for good. */
  anomaly: string | null;
}

/**
 * The installation's key: read from the file, or created there (mode 0600) on first use. An
 * in-memory database gets a key that lives as long as this process.
 */
function loadKey(file: string | null): { key: Buffer; created: boolean } {
  if (file === null) return { key: randomBytes(32), created: true };
  try {
    return { key: readFileSync(file), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = Buffer.from(`${randomBytes(32).toString('hex')}\n`);
  try {
    writeFileSync(file, key, { flag: 'wx', mode: 0o600 });
    return { key, created: true };
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: readFileSync(file), created: false };
    throw err;
  }
}

interface Row {
  id: number;
  ts: string;
  actor: string;
  action: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function rowHash(prevHash: string, id: number, ts: string, actor: string, action: string, details: string): string {
  return createHash('sha256').update(canonicalJson({ prevHash, id, ts, actor, action, details })).digest('hex');
}

export class AuditLog {
  private readonly db: Db;
  private readonly key: Buffer;
  /** keyFile: defaults to audit.key beside a file database; null keeps the key in memory. */
  constructor(db: Db, keyFile: string | null = db.memory ? null : join(dirname(db.name), AUDIT_KEY_FILE)) {
    this.db = db;
    const { key, created } = loadKey(keyFile);
    this.key = key;
    // Anchor on first use: a new installation, a new database, or a log from before anchors
    // existed (trusted as found). A head missing while the key already existed is left for
    // verify to report, never re-anchored silently.
    this.db
      .transaction(() => {
        if (this.readHead() !== null) return;
        const count = (this.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
        if (!created && count > 0) return;
        const last = this.lastRow();
        this.writeHead({ count, lastId: last?.id ?? 0, lastHash: last?.hash ?? GENESIS_HASH, anomaly: null });
      })
      .immediate();
  }

  private mac(h: Head): string {
    return createHmac('sha256', this.key).update(canonicalJson(h)).digest('hex');
  }

  private macOk(h: Head, mac: string): boolean {
    const a = Buffer.from(this.mac(h), 'hex');
    const b = Buffer.from(mac, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private readHead(): { head: Head; mac: string } | null {
    const r = this.db.prepare('SELECT count, last_id, last_hash, anomaly, mac FROM audit_head WHERE id = 1').get() as
      | { count: number; last_id: number; last_hash: string; anomaly: string | null; mac: string }
      | undefined;
    return r ? { head: { count: r.count, lastId: r.last_id, lastHash: r.last_hash, anomaly: r.anomaly }, mac: r.mac } : null;
  }

  private writeHead(h: Head): void {
    this.db
      .prepare(
        `INSERT INTO audit_head (id, count, last_id, last_hash, anomaly, mac) VALUES (1, @count, @lastId, @lastHash, @anomaly, @mac)
         ON CONFLICT (id) DO UPDATE SET count = excluded.count, last_id = excluded.last_id, last_hash = excluded.last_hash, anomaly = excluded.anomaly, mac = excluded.mac`,
      )
      .run({ ...h, mac: this.mac(h) });
  }

  private lastRow(): { id: number; hash: string } | undefined {
    return this.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
  }

  /** What is wrong with the anchor against the log's actual end (count checked by verify's full walk). */
  private anchorProblem(stored: { head: Head; mac: string } | null, last: { id: number; hash: string } | undefined): string | null {
    if (stored === null) return 'the audit log has no anchor (its head row is missing)';
    if (!this.macOk(stored.head, stored.mac)) return "the anchor's MAC does not match: the log or its head was rewritten, or the key file was replaced";
    const { lastId, lastHash } = stored.head;
    if ((last?.id ?? 0) < lastId) return `entries were removed from the end: the log ends at entry ${last?.id ?? 0}, the anchor at entry ${lastId}`;
    if ((last?.id ?? 0) !== lastId || (last?.hash ?? GENESIS_HASH) !== lastHash) {
      return `the log's last entry (${last?.id ?? 0}, hash ${(last?.hash ?? GENESIS_HASH).slice(0, 12)}…) is not the one its anchor records (${lastId}, hash ${lastHash.slice(0, 12)}…)`;
    }
    return null;
  }

  /** Appends one entry and moves the anchor. Call inside the caller's transaction to tie it to the change it records. */
  append(action: string, details: unknown, actor = 'user'): AuditEntry {
    const insert = this.db.transaction(() => {
      const last = this.lastRow();
      const id = (last?.id ?? 0) + 1;
      const prev = last?.hash ?? GENESIS_HASH;
      const ts = new Date().toISOString();
      const json = canonicalJson(details ?? null);
      const hash = rowHash(prev, id, ts, actor, action, json);
      this.db
        .prepare('INSERT INTO audit_log (id, ts, actor, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, ts, actor, action, json, prev, hash);
      // A mismatch found now is written into the new anchor, so moving the anchor never hides it.
      const stored = this.readHead();
      const problem = this.anchorProblem(stored, last);
      const trusted = stored !== null && this.macOk(stored.head, stored.mac) ? stored.head : null;
      const count = trusted ? trusted.count + 1 : (this.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
      const anomaly = trusted?.anomaly ?? (problem === null ? null : `${problem} (found when entry ${id} was appended)`);
      this.writeHead({ count, lastId: id, lastHash: hash, anomaly });
      return { id, ts, actor, action, details: JSON.parse(json) as unknown, hash };
    });
    return insert();
  }

  list(limit: number): AuditEntry[] {
    const rows = this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as Row[];
    return rows.map((r) => ({ id: r.id, ts: r.ts, actor: r.actor, action: r.action, details: JSON.parse(r.details) as unknown, hash: r.hash }));
  }

  /**
   * Recomputes every hash, checks the append-only triggers are still in place and the log's
   * count and end against the MAC-checked anchor. Every problem found is in the reason.
   */
  verify(): AuditVerification {
    const problems: string[] = [];
    let firstBadId: number | null = null;
    let prev = GENESIS_HASH;
    let expectedId = 1;
    let checked = 0;
    let count = 0;
    let last: { id: number; hash: string } | undefined;
    for (const r of this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<Row>) {
      count++;
      last = { id: r.id, hash: r.hash };
      if (firstBadId !== null) continue;
      const bad =
        r.id !== expectedId
          ? `row ${expectedId} is missing (next row is ${r.id})`
          : r.prev_hash !== prev
            ? `row ${r.id} does not link to the previous row's hash`
            : rowHash(prev, r.id, r.ts, r.actor, r.action, r.details) !== r.hash
              ? `row ${r.id} was modified after it was written`
              : null;
      if (bad !== null) {
        problems.push(bad);
        firstBadId = r.id;
        continue;
      }
      prev = r.hash;
      expectedId++;
      checked++;
    }
    const triggers = new Map(
      (this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { name: string; sql: string }[]).map((t) => [t.name, t.sql]),
    );
    for (const [name, shape] of Object.entries(APPEND_ONLY_TRIGGERS)) {
      if (!shape.test(triggers.get(name) ?? '')) problems.push(`trigger ${name}, which keeps the log append-only, is missing or altered`);
    }
    const stored = this.readHead();
    const problem = this.anchorProblem(stored, last);
    if (problem !== null) {
      problems.push(problem);
      if (firstBadId === null && stored !== null && (last?.id ?? 0) < stored.head.lastId) firstBadId = (last?.id ?? 0) + 1;
    } else if (stored !== null) {
      if (stored.head.anomaly !== null) problems.push(stored.head.anomaly);
      if (stored.head.count !== count) problems.push(`the log has ${count} entries, the anchor records ${stored.head.count}`);
    }
    return problems.length === 0 ? { ok: true, checked, firstBadId: null, reason: null } : { ok: false, checked, firstBadId, reason: problems.join('; ') };
  }
}
