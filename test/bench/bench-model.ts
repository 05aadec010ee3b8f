// A freshly built (untrained) ATK-GAN discriminator saved with its card, for the pool benches: the
// pool tasks load models from a folder and check its weights hash.
import { join } from 'node:path';
import { buildModel, forwardFlops } from '../../src-main/models/architectures.ts';
import { saveModel } from '../../src-main/models/io.ts';

export interface SavedBenchModel {
  dir: string;
  /** weights.bin sha256, the replicas' key. */
  hash: string;
  /** Forward FLOPs per beat. */
  flops: number;
}

export async function saveBenchDiscriminator(parent: string): Promise<SavedBenchModel> {
  const model = buildModel('atk-gan-d', { length: 280, classes: 4, seed: 1 });
  const flops = forwardFlops(model);
  const dir = join(parent, 'd');
  const card = await saveModel(dir, model, {
    kind: 'atk-gan-d', inputLength: 280, samplingRate: 360, normalisation: 'minmax', classes: ['N', 'S', 'V', 'F'], datasetHash: null,
    seed: 1, epochs: 0, trainingCommand: 'bench', backend: 'bench', wallTimeSeconds: 0, metrics: {}, createdAt: new Date().toISOString(),
  });
  model.dispose();
  return { dir, hash: card.files['weights.bin'].sha256, flops };
}
