// The hash check of a model folder without TensorFlow.js (the registry runs it on the core worker):
// the card must parse and every file must have the size and SHA-256 the card states. Also the one
// card rewrite after training (a detector calibration), which leaves the hashed files alone.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { CARD_FILE, MODEL_FILE, ModelCardSchema, WEIGHTS_FILE, type ModelCard } from './card.ts';

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.') || '(root)';
  return `${CARD_FILE}: field "${path}" ${issue.message}`;
}

export async function readCard(dir: string): Promise<ModelCard> {
  const text = await readFile(join(dir, CARD_FILE), 'utf8').catch(() => {
    throw new Error(`${CARD_FILE}: missing from ${dir}`);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${CARD_FILE}: not valid JSON`);
  }
  const parsed = ModelCardSchema.safeParse(raw);
  if (!parsed.success) throw new Error(describeIssue(parsed.error.issues[0]!));
  return parsed.data;
}

/** Reads one file and checks it against its card entry. */
export async function verifiedFile(dir: string, name: string, entry: { sha256: string; bytes: number }): Promise<Uint8Array> {
  const bytes = await readFile(join(dir, name)).catch(() => {
    throw new Error(`${name}: missing — the model folder is incomplete`);
  });
  if (bytes.byteLength !== entry.bytes) throw new Error(`${name}: ${bytes.byteLength} bytes where the card says ${entry.bytes} — the model file was truncated or modified`);
  if (sha256(bytes) !== entry.sha256) throw new Error(`${name}: sha256 mismatch — the model file was modified or truncated`);
  return bytes;
}

/** Reads the card and checks every file against it; throws naming the first bad file. */
export async function verifyModelFiles(dir: string): Promise<ModelCard> {
  const card = await readCard(dir);
  await verifiedFile(dir, MODEL_FILE, card.files[MODEL_FILE]);
  await verifiedFile(dir, WEIGHTS_FILE, card.files[WEIGHTS_FILE]);
  return card;
}

/** Replaces a folder's card.json atomically (temp file renamed over it); the card must still vouch for the same files. */
export async function writeCard(dir: string, card: ModelCard): Promise<void> {
  const full = ModelCardSchema.parse(card);
  const old = await readCard(dir);
  if (JSON.stringify(old.files) !== JSON.stringify(full.files)) throw new Error(`${CARD_FILE}: a rewritten card must keep the file hashes of ${dir}`);
  const tmp = join(dir, `.${CARD_FILE}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(tmp, JSON.stringify(full, null, 2) + '\n');
    await rename(tmp, join(dir, CARD_FILE));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
