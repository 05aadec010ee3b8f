// The model registry: model folders verified against their cards (no TensorFlow.js: the hash check
// runs on the core worker) and recorded in SQLite. Shipped models are registered on start.
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AppError } from '../../src-shared/errors.ts';
import type { DatasetManifest, ModelEntry } from '../../src-shared/contract/index.ts';
import type { Store } from '../store/db.ts';
import { CARD_FILE, WEIGHTS_FILE, type ModelCard } from './card.ts';
import { verifyModelFiles } from './verify.ts';

export interface RegisterReport {
  registered: string[];
  /** Folders refused, with the reason naming the bad file. */
  refused: { name: string; reason: string }[];
  /** The model made default by this call, if any. */
  madeDefault: string | null;
}

function entryOf(store: Store, name: string, dir: string, card: ModelCard): Omit<ModelEntry, 'isDefault'> {
  const dataset = card.datasetHash ? (store.datasets.findByHash(card.datasetHash)?.manifest ?? null) : null;
  return {
    name,
    kind: card.kind,
    datasetId: dataset?.id ?? null,
    datasetHash: card.datasetHash,
    classes: card.classes,
    inputLength: card.inputLength,
    samplingRate: card.samplingRate,
    modelHash: card.files[WEIGHTS_FILE].sha256,
    metrics: card.metrics,
    card,
    path: dir,
    createdAt: card.createdAt,
  };
}

/** An ATK-GAN discriminator trained on a random split (the shipped default the design names). */
function isRandomSplitAtkGan(m: ModelEntry): boolean {
  return m.kind === 'atk-gan-d' && /random/i.test(`${m.name} ${m.card.trainingCommand}`);
}

/** Verifies one model folder and records it under `name` (replacing an entry of that name). */
export async function registerModel(store: Store, name: string, folder: string): Promise<void> {
  const card = await verifyModelFiles(folder);
  store.models.upsert(entryOf(store, name, folder, card));
}

/**
 * Registers every `<dir>/<name>/` holding a card.json whose files match it; a tampered or
 * truncated one is refused with its reason. With no default yet, the first random-split ATK-GAN
 * becomes default, else the first model registered (so a new user can classify at once).
 */
export async function registerModels(store: Store, dir: string): Promise<RegisterReport> {
  const report: RegisterReport = { registered: [], refused: [], madeDefault: null };
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const folder = resolve(dir, name);
    if (name.startsWith('.') || !(await stat(join(folder, CARD_FILE)).then((s) => s.isFile(), () => false))) continue;
    try {
      await registerModel(store, name, folder);
      report.registered.push(name);
    } catch (err) {
      report.refused.push({ name, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  if (!store.models.getDefault()) {
    const all = store.models.list();
    const pick = all.find(isRandomSplitAtkGan) ?? all[0];
    if (pick && store.models.setDefault(pick.name)) report.madeDefault = pick.name;
  }
  return report;
}

export interface ResolvedModel {
  name: string;
  dir: string;
  card: ModelCard;
  modelHash: string;
}

/** A registered name, a model folder path, or (no ref) the default; the files are re-verified either way. */
export async function resolveModel(store: Store, ref: string | undefined): Promise<ResolvedModel> {
  const entry = ref === undefined ? store.models.getDefault() : store.models.get(ref);
  if (ref === undefined && !entry) throw new AppError('NOT_FOUND', 'No default model: register one (models/ folder) or name one with --model');
  const dir = entry ? entry.path : resolve(ref!);
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new AppError('NOT_FOUND', entry ? `Model ${entry.name}: its folder ${dir} is missing` : `No model named "${ref}" in the registry and no model folder at ${dir}`);
  let card: ModelCard;
  try {
    card = await verifyModelFiles(dir);
  } catch (err) {
    throw new AppError('INVALID_INPUT', `Model ${entry?.name ?? dir} refused: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { name: entry?.name ?? basename(dir), dir, card, modelHash: card.files[WEIGHTS_FILE].sha256 };
}

/** Refuses a model that does not take the dataset's beats (length, rate) or classes, naming both. */
export function checkModelFitsDataset(m: ResolvedModel, manifest: DatasetManifest): void {
  if (manifest.beatLength !== m.card.inputLength || manifest.params.window.frequency !== m.card.samplingRate) {
    throw new AppError('INVALID_INPUT', `Model ${m.name} takes ${m.card.inputLength} samples at ${m.card.samplingRate} Hz; dataset ${manifest.name} has ${manifest.beatLength} at ${manifest.params.window.frequency} Hz`);
  }
  if (manifest.classes.join(',') !== m.card.classes.join(',')) throw new AppError('INVALID_INPUT', `Model ${m.name} has classes ${m.card.classes.join(',')}; dataset ${manifest.name} has ${manifest.classes.join(',')}`);
}
