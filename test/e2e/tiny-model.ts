// Saves a small ATK-GAN discriminator with initial weights into <dir>/<name> (paper setting:
// 280 samples at 360 Hz, 4 classes): the e2e server registers it through ECGATK_MODELS_DIR.
// Run with Node's type stripping: node test/e2e/tiny-model.ts <dir> [name] [kind: atk-gan-d | dcnn] [seed]
import { join } from 'node:path';
import { initCompute } from '../../src-main/compute/backend.ts';
import { buildModel } from '../../src-main/models/architectures.ts';
import { saveModel } from '../../src-main/models/io.ts';

const [dir, name = 'atk-gan-e2e-random', kind = 'atk-gan-d', seedArg = '11'] = process.argv.slice(2);
const seed = Number(seedArg);
if (!dir || (kind !== 'atk-gan-d' && kind !== 'dcnn')) throw new Error('usage: node test/e2e/tiny-model.ts <models-dir> [name] [atk-gan-d|dcnn]');
await initCompute('wasm');
const model = buildModel(kind, { length: 280, classes: 4, seed });
await saveModel(join(dir, name), model, {
  kind, inputLength: 280, samplingRate: 360, normalisation: 'minmax per beat', classes: ['N', 'S', 'V', 'F'], datasetHash: null,
  seed, epochs: 0, trainingCommand: 'e2e fixture: initial weights (split random)', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
});
model.dispose();
