// Hashing shared by every layer: canonical JSON for hashes that must not depend on key
// order, file digests, and the byte view of typed arrays.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Canonical JSON (sorted keys, undefined dropped) so a hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export interface FileDigest {
  sha256: string;
  bytes: number;
  mtimeMs: number;
}

export async function sha256File(path: string): Promise<FileDigest> {
  const before = await stat(path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: before.size, mtimeMs: before.mtimeMs };
}

/** The bytes behind a typed array (for hashing and writing). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
