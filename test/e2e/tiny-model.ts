// Saves a small ATK-GAN discriminator with initial weights into <dir>/<name> (by default the paper
// setting: 280 samples at 360 Hz, 4 classes): the e2e server registers it through ECGATK_MODELS_DIR.
// A spec whose dataset differs (an imported heartbeat CSV) gives its beat length, rate and classes.
// Run with Node's type stripping:
//   node test/e2e/tiny-model.ts <dir> [name] [kind: atk-gan-d | dcnn] [seed] [length] [rate] [classes, comma-separated]
import { join } from 'node:path';
import { initCompute } from '../../src-main/compute/backend.ts';
import { buildModel } from '../../src-main/models/architectures.ts';
import { saveModel } from '../../src-main/models/io.ts';

const [dir, name = 'atk-gan-e2e-random', kind = 'atk-gan-d', seedArg = '11', lengthArg = '280', rateArg = '360', classesArg = 'N,S,V,F'] = process.argv.slice(2);
const seed = Number(seedArg);
const length = Number(lengthArg);
const samplingRate = Number(rateArg);
const classes = classesArg.split(',');
if (!dir || (kind !== 'atk-gan-d' && kind !== 'dcnn') || !(samplingRate > 0) || classes.length < 2) {
  throw new Error('usage: node test/e2e/tiny-model.ts <models-dir> [name] [atk-gan-d|dcnn] [seed] [length] [rate] [classes]');
}
await initCompute('wasm');
const model = buildModel(kind, { length, classes: classes.length, seed });
await saveModel(join(dir, name), model, {
  kind, inputLength: length, samplingRate, normalisation: 'minmax per beat', classes, datasetHash: null,
  seed, epochs: 0, trainingCommand: 'e2e fixture: initial weights (split random)', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
});
model.dispose();
