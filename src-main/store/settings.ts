// Typed settings over the key/value table; unknown or invalid stored values fall back to defaults.
import { Settings, SETTINGS_DEFAULTS } from '../../src-shared/contract/index.ts';
import type { Db } from './db.ts';
import type { AuditLog } from './audit.ts';

export class SettingsStore {
  private readonly db: Db;
  private readonly audit: AuditLog;
  constructor(db: Db, audit: AuditLog) {
    this.db = db;
    this.audit = audit;
  }

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const merged: Record<string, unknown> = { ...SETTINGS_DEFAULTS };
    for (const { key, value } of rows) if (key in SETTINGS_DEFAULTS) merged[key] = JSON.parse(value) as unknown;
    const parsed = Settings.safeParse(merged);
    return parsed.success ? parsed.data : { ...SETTINGS_DEFAULTS };
  }

  update(patch: Partial<Settings>): Settings {
    const next = Settings.parse({ ...this.get(), ...patch });
    const now = new Date().toISOString();
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value), now);
      }
      this.audit.append('settings.update', patch);
    }).immediate();
    return next;
  }
}
