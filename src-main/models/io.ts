// Models on disk: tfjs model.json + weights.bin + card.json (what the model is, how it was made and
// the SHA-256 of every file). Written into a temporary folder renamed into place, so a reader never
// sees half a model; loading re-hashes every file and refuses anything the card does not vouch for.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tf } from '../compute/backend.ts';
import { tfl, type LayersModel } from '../compute/layers.ts';
import { CARD_FILE, MODEL_FILE, ModelCardSchema, WEIGHTS_FILE, type ModelCard, type ModelCardInput } from './card.ts';
import { sha256, verifiedFile, readCard } from './verify.ts';

export { readCard, verifyModelFiles } from './verify.ts';

function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  return new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
}

export async function saveModel(dir: string, model: LayersModel, card: ModelCardInput): Promise<ModelCard> {
  let json = '';
  let weights: Uint8Array = new Uint8Array(0);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      weights = weightBytes(artifacts.weightData);
      json = JSON.stringify({
        format: 'layers-model',
        generatedBy: 'ECG-ATK Workstation',
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      });
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  const modelBytes = new TextEncoder().encode(json);
  const full = ModelCardSchema.parse({
    ...card,
    formatVersion: 1,
    parameters: model.countParams(),
    files: { [MODEL_FILE]: { sha256: sha256(modelBytes), bytes: modelBytes.byteLength }, [WEIGHTS_FILE]: { sha256: sha256(weights), bytes: weights.byteLength } },
  });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${tag}`);
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(join(tmp, MODEL_FILE), modelBytes);
    await writeFile(join(tmp, WEIGHTS_FILE), weights);
    await writeFile(join(tmp, CARD_FILE), JSON.stringify(full, null, 2) + '\n');
    // A folder cannot be renamed over a non-empty one: move the old one aside, then drop it.
    const old = join(dirname(dir), `.${basename(dir)}.old-${tag}`);
    const existed = await stat(dir).then(() => true, () => false);
    if (existed) await rename(dir, old);
    await rename(tmp, dir);
    if (existed) await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return full;
}

export async function loadModel(dir: string): Promise<{ model: LayersModel; card: ModelCard }> {
  const card = await readCard(dir);
  const modelBytes = await verifiedFile(dir, MODEL_FILE, card.files[MODEL_FILE]);
  const weights = await verifiedFile(dir, WEIGHTS_FILE, card.files[WEIGHTS_FILE]);
  const json = JSON.parse(new TextDecoder().decode(modelBytes)) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }));
  if (model.countParams() !== card.parameters) {
    model.dispose();
    throw new Error(`${MODEL_FILE}: ${model.countParams()} parameters where the card says ${card.parameters}`);
  }
  return { model, card };
}
