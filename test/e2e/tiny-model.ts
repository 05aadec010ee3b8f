// Saves a small ATK-GAN discriminator with initial weights into <dir>/<name> (paper setting:
// 280 samples at 360 Hz, 4 classes): the e2e server registers it through ECGATK_MODELS_DIR.
// Run with Node's type stripping: node test/e2e/tiny-model.ts <dir> [name]
import { join } from 'node:path';
import { initCompute } from '../../src-main/compute/backend.ts';
import { buildModel } from '../../src-main/models/architectures.ts';
import { saveModel } from '../../src-main/models/io.ts';

const [dir, name = 'atk-gan-e2e-random'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node test/e2e/tiny-model.ts <models-dir> [name]');
await initCompute('wasm');
const model = buildModel('atk-gan-d', { length: 280, classes: 4, seed: 11 });
await saveModel(join(dir, name), model, {
  kind: 'atk-gan-d', inputLength: 280, samplingRate: 360, normalisation: 'minmax per beat', classes: ['N', 'S', 'V', 'F'], datasetHash: null,
  seed: 11, epochs: 0, trainingCommand: 'e2e fixture: initial weights (split random)', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
});
model.dispose();
