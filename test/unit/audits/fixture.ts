// An app with a compute pool, a tiny generated dataset (128-sample beats, N/V) and two small models
// for audits: an ATK-GAN discriminator at its initial weights (it has the attacked/clean head) and
// a Kachuee CNN trained for a few epochs by the training job.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, type AppContext } from '../../../src-main/app/context.ts';
import { createInProcessCore, type Core } from '../../../src-main/app/core.ts';
import { initCompute } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { saveModel } from '../../../src-main/models/io.ts';
import { TrainingParams, type AttackSpec } from '../../../src-shared/contract/index.ts';
import { tinyDataset } from '../training/dataset-fixture.ts';
import { tempDir } from '../../helpers.ts';

export interface AuditFixture {
  app: AppContext;
  core: Core;
  home: string;
  gan: string;
  kachuee: string;
  /** A suite file of FGSM and a 3-step PGD. */
  suiteFile: string;
  cleanup(): Promise<void>;
}

export async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

export async function auditFixture(): Promise<AuditFixture> {
  const home = tempDir();
  const modelsDir = join(home.path, 'shipped');
  await initCompute('wasm');
  const gan = buildModel('atk-gan-d', { length: 128, classes: 2, seed: 5 });
  await saveModel(join(modelsDir, 'tiny-gan'), gan, {
    kind: 'atk-gan-d', inputLength: 128, samplingRate: 125, normalisation: 'minmax per beat', classes: ['N', 'V'], datasetHash: null,
    seed: 5, epochs: 0, trainingCommand: 'audit test fixture: initial weights', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
  });
  gan.dispose();
  const app = await openApp({ env: { ...process.env, ECGATK_HOME: home.path, ECGATK_WORKERS: '1', ECGATK_MODELS_DIR: modelsDir }, jobs: { progressIntervalMs: 0, persistIntervalMs: 0 } });
  const core = createInProcessCore(app);
  await tinyDataset(app.datasets, 'tiny', 240, 128, 3);
  const train = await app.jobs.wait(app.jobs.start('training.run', TrainingParams.parse({ model: 'kachuee', dataset: 'tiny', epochs: 4, batch: 16, seed: 2 })));
  if (train.state !== 'succeeded') throw new Error(`fixture training ${train.state}: ${train.message}`);
  const kachuee = app.store.models.list().find((m) => m.kind === 'kachuee')!.name;
  const suiteFile = join(home.path, 'suite.json');
  const suite: AttackSpec[] = [{ name: 'fgsm', params: {} }, { name: 'pgd', params: { alpha: 0.01, steps: 3 } }];
  mkdirSync(home.path, { recursive: true });
  writeFileSync(suiteFile, JSON.stringify(suite));
  return {
    app,
    core,
    home: home.path,
    gan: 'tiny-gan',
    kachuee,
    suiteFile,
    async cleanup() {
      await core.close();
      home.cleanup();
    },
  };
}
