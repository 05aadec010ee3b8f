// `ecgatk attack` as an auditor runs it: one beat of the bundled record 100, a small ATK-GAN
// discriminator (initial weights), --json in the documented shape, bad flags refused by name.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../../helpers.ts';
import { initCompute } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { saveModel } from '../../../src-main/models/io.ts';
import { samplesDir } from '../../../src-main/config/paths.ts';
import { readAnnotations, AAMI } from '../../../src-main/signals/wfdb/annotations.ts';
import { presetSuite } from '../../../src-shared/contract/index.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'src-main', 'cli', 'bin.mjs');
const home = tempDir();
const models = tempDir('ecgatk-models-');
afterAll(() => {
  home.cleanup();
  models.cleanup();
});

function ecgatk(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ECGATK_HOME: home.path, ECGATK_MODELS_DIR: models.path, ECGATK_WORKERS: '1' }, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let beat = 0;
beforeAll(async () => {
  await initCompute('wasm');
  const model = buildModel('atk-gan-d', { length: 280, classes: 4, seed: 7 });
  await saveModel(join(models.path, 'atk-gan-mitdb-random'), model, {
    kind: 'atk-gan-d', inputLength: 280, samplingRate: 360, normalisation: 'minmax per beat', classes: ['N', 'S', 'V', 'F'], datasetHash: null,
    seed: 7, epochs: 0, trainingCommand: 'test fixture: initial weights (split random)', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
  });
  model.dispose();
  expect(ecgatk('import', join(samplesDir(), '100.hea')).code).toBe(0);
  beat = (await readAnnotations(join(samplesDir(), '100.atr'))).annotations.filter((a) => AAMI[a.symbol] !== undefined)[12]!.sample;
}, 60_000);

describe('ecgatk attack', () => {
  it('--json: clean, adversarial, perturbation, before/after verdicts, queries and parameters', () => {
    const r = ecgatk('attack', '--model', 'atk-gan-mitdb-random', '--record', '100', '--beat', String(beat), '--attack', 'fgsm', '--eps', '0.02', '--json');
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { clean: number[]; adversarial: number[]; perturbation: Record<string, number>; before: Record<string, unknown>; after: Record<string, unknown> };
    for (const k of ['clean', 'adversarial', 'perturbation', 'before', 'after', 'queries', 'parameters']) expect(out).toHaveProperty(k);
    expect(out.clean).toHaveLength(280);
    expect(out.adversarial).toHaveLength(280);
    expect(Object.keys(out.perturbation).sort()).toEqual(['l2', 'linf', 'snrDb']);
    expect(out.perturbation.linf).toBeLessThanOrEqual(0.02 + 1e-6);
    for (const v of [out.before, out.after]) {
      expect(Object.keys(v).sort()).toEqual(['attacked', 'predicted', 'probabilities']);
      expect(Object.keys(v.probabilities as object)).toEqual(['N', 'S', 'V', 'F']);
    }
    expect(out.queries).toBeNull();
    expect(out.parameters).toEqual({ eps: 0.02 });
    expect(out).not.toHaveProperty('compare');
  }, 60_000);

  it('--preset takes the suite parameters at ε; the readable summary names the change and the norms', () => {
    const r = ecgatk('attack', '--record', '100', '--beat', String(beat), '--attack', 'pgd', '--preset', 'paper', '--eps', '0.01', '--json');
    expect(r.code).toBe(0);
    const params = presetSuite('paper', 0.01).find((s) => s.name === 'pgd')!.params;
    expect((JSON.parse(r.stdout) as { parameters: unknown }).parameters).toEqual({ ...params, seed: 0 });
    const text = ecgatk('attack', '--record', '100', '--beat', String(beat), '--attack', 'fgsm', '--eps', '0.01');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`fgsm on beat ${beat} of record 100`));
    expect(text.stdout).toMatch(/^before: [NSVF] /m);
    expect(text.stdout).toMatch(/perturbation: L2 [\d.]+, L∞ [\d.]+ \([\d.]+ mV\), SNR [\d.]+ dB/);
  }, 60_000);

  it('refuses out-of-range and unknown parameters naming the flag, and a sample that is not a beat', () => {
    const base = ['attack', '--record', '100', '--beat', String(beat)];
    const cases: [string[], RegExp][] = [
      [['--attack', 'fgsm', '--eps', '-0.1'], /--eps: must be ≥ 0/],
      [['--attack', 'pgd', '--alpha', '0'], /--alpha: must be > 0/],
      [['--attack', 'pgd', '--steps', '2.5'], /--steps: must be a whole number/],
      [['--attack', 'fgsm', '--steps', '3'], /--steps: fgsm has no such parameter/],
      [['--attack', 'nope'], /--attack: must be one of fgsm, bim, pgd/],
      [['--attack', 'fgsm', '--preset', 'weak'], /--preset: must be one of paper, strong/],
    ];
    for (const [args, msg] of cases) {
      const r = ecgatk(...base, ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(msg);
    }
    const miss = ecgatk('attack', '--record', '100', '--beat', String(beat + 1), '--attack', 'fgsm');
    expect(miss.code).toBe(1);
    expect(miss.stderr).toMatch(new RegExp(`beat: sample ${beat + 1} is not an annotated or detected beat of record 100`));
  }, 120_000);
});
