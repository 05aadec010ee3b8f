import { describe, it, expect, beforeAll } from 'vitest';
import { initCompute } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { classifierHandle } from '../../../src-main/models/handle.ts';
import { runAttack } from '../../../src-main/attacks/index.ts';
import { Adam } from '../../../src-main/training/adam.ts';
import { adversarialGradients, applyGradients, classifierGradients } from '../../../src-main/training/steps.ts';
import { classBatch } from './fixtures.ts';

beforeAll(async () => {
  await initCompute('wasm');
});

describe('adversarial training steps', () => {
  const L = 187;
  const params = { eps: 0.05, alpha: 0.02, steps: 3, randomStart: true, seed: 1 };

  it('PGD adversarial training lowers the loss on PGD beats made against the current weights', async () => {
    const model = buildModel('kachuee', { length: L, classes: 2, seed: 4 });
    const opt = new Adam({ learningRate: 2e-3 });
    const batch = classBatch(32, L, 40);
    const lossOnAttack = async (): Promise<number> => {
      const { adversarial } = await runAttack('pgd', classifierHandle(model), batch.beats, batch.labels, params);
      return classifierGradients(model, { beats: adversarial, labels: batch.labels }).losses.total!;
    };
    const before = await lossOnAttack();
    for (let s = 0; s < 10; s++) applyGradients(opt, model, (await adversarialGradients(model, batch, { attack: 'pgd', params })).grads);
    expect(await lossOnAttack()).toBeLessThan(before * 0.8);
    opt.dispose();
    model.dispose();
  });

  it('fast adversarial training (one FGSM step from a random start) gives the loss on those beats', async () => {
    const model = buildModel('kachuee', { length: L, classes: 2, seed: 5 });
    const batch = classBatch(8, L, 41);
    const fast = { eps: 0.05, alpha: 1.25 * 0.05, steps: 1, randomStart: true, seed: 2 };
    const r = await adversarialGradients(model, batch, { attack: 'pgd', params: fast });
    const { adversarial } = await runAttack('pgd', classifierHandle(model), batch.beats, batch.labels, fast);
    const direct = classifierGradients(model, { beats: adversarial, labels: batch.labels });
    expect(r.losses.total).toBeCloseTo(direct.losses.total!, 6);
    expect(r.losses.total).toBeGreaterThan(classifierGradients(model, batch).losses.total!);
    model.dispose();
  });
});
