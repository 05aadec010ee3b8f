// SQL of the dataset catalog: the manifest and where its arrays live.
import type { Db } from '../db.ts';
import { DatasetManifest } from '../../../src-shared/contract/index.ts';

export class DatasetRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  nameTaken(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(name) !== undefined;
  }

  insert(manifest: DatasetManifest, path: string): void {
    this.db.prepare('INSERT INTO datasets (id, name, hash, manifest, path, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(manifest.id, manifest.name, manifest.hash, JSON.stringify(manifest), path, manifest.createdAt);
  }

  list(): DatasetManifest[] {
    return (this.db.prepare('SELECT manifest FROM datasets ORDER BY created_at').all() as { manifest: string }[]).map((r) => DatasetManifest.parse(JSON.parse(r.manifest)));
  }

  /** A dataset by id or by name, with the folder of its arrays. */
  find(ref: string): { manifest: DatasetManifest; path: string } | null {
    return this.located(this.db.prepare('SELECT manifest, path FROM datasets WHERE id = ? OR name = ?').get(ref, ref));
  }

  /** The first-built dataset with this manifest hash (what a model card names), with its folder. */
  findByHash(hash: string): { manifest: DatasetManifest; path: string } | null {
    return this.located(this.db.prepare('SELECT manifest, path FROM datasets WHERE hash = ? ORDER BY created_at LIMIT 1').get(hash));
  }

  private located(row: unknown): { manifest: DatasetManifest; path: string } | null {
    const r = row as { manifest: string; path: string } | undefined;
    return r ? { manifest: DatasetManifest.parse(JSON.parse(r.manifest)), path: r.path } : null;
  }
}
