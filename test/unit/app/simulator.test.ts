// The Attack simulator's op on MIT-BIH record 100 (the bundled sample) with small saved models
// (initial weights: these tests check the cut, the numbers and the bookkeeping, not robustness).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../../helpers.ts';
import { openApp, type AppContext } from '../../../src-main/app/context.ts';
import { createInProcessCore, type Core } from '../../../src-main/app/core.ts';
import { importPaths } from '../../../src-main/records/import.ts';
import { loadRecord } from '../../../src-main/records/sources.ts';
import { recordBeats, windowForModel } from '../../../src-main/app/classify.ts';
import { resolveModel } from '../../../src-main/models/registry.ts';
import { initCompute } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { saveModel } from '../../../src-main/models/io.ts';
import { samplesDir } from '../../../src-main/config/paths.ts';
import { TERMINAL_JOB_STATES, type ApiEvent, type AttackBeatResult, type JobStatus, type OpInput, type SimulatorResult } from '../../../src-shared/contract/index.ts';

const home = tempDir();
const models = tempDir('ecgatk-models-');
let ctx: AppContext;
let core: Core;
let record: number;

async function saveTiny(name: string, kind: 'atk-gan-d' | 'dcnn', seed: number): Promise<void> {
  const model = buildModel(kind, { length: 280, classes: 4, seed });
  await saveModel(join(models.path, name), model, {
    kind, inputLength: 280, samplingRate: 360, normalisation: 'minmax per beat', classes: ['N', 'S', 'V', 'F'], datasetHash: null,
    seed, epochs: 0, trainingCommand: 'test fixture: initial weights (split random)', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
  });
  model.dispose();
}

beforeAll(async () => {
  await initCompute('wasm');
  await saveTiny('atk-gan-mitdb-random', 'atk-gan-d', 7);
  await saveTiny('dcnn-baseline', 'dcnn', 8);
  ctx = await openApp({ env: { ...process.env, ECGATK_HOME: home.path, ECGATK_MODELS_DIR: models.path, ECGATK_WORKERS: '1' } });
  const [item] = await importPaths(ctx.catalog, [join(samplesDir(), '100.hea')], { deidentify: true });
  record = item!.recordId!;
  core = createInProcessCore(ctx);
}, 60_000);
afterAll(async () => {
  await core.close();
  home.cleanup();
  models.cleanup();
});

async function run(input: OpInput<'attacks.beat'>): Promise<JobStatus> {
  const ended = new Map<string, JobStatus>();
  const off = core.onEvent((e: ApiEvent) => {
    if (TERMINAL_JOB_STATES.includes(e.job.state)) ended.set(e.job.id, e.job);
  });
  try {
    const started = await core.call('attacks.beat', input);
    if (!started.ok) throw new Error(started.error.message);
    const { jobId } = started.value as { jobId: string };
    while (!ended.has(jobId)) await new Promise((r) => setTimeout(r, 20));
    return ended.get(jobId)!;
  } finally {
    off();
  }
}
const resultOf = (s: JobStatus): SimulatorResult => {
  if (s.kind !== 'attacks.beat' || s.state !== 'succeeded' || !s.result) throw new Error(`attacks.beat ${s.state}: ${s.error?.message ?? ''}`);
  return s.result;
};

function checkVerdict(v: AttackBeatResult['before'], detector: boolean): void {
  expect(Object.keys(v.probabilities)).toEqual(['N', 'S', 'V', 'F']);
  expect(Object.values(v.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  expect(v.predicted).toBe(Object.entries(v.probabilities).sort((a, b) => b[1] - a[1])[0]![0]);
  if (detector) {
    expect(v.attacked).toBeGreaterThanOrEqual(0);
    expect(v.attacked).toBeLessThanOrEqual(1);
  } else expect(v.attacked).toBeNull();
}

describe('attacks.beat', () => {
  it('attacks.beats lists the reference-annotated beats with their labels', async () => {
    const r = await core.call('attacks.beats', { record: '100' });
    expect(r.ok).toBe(true);
    const beats = (r as { ok: true; value: { sample: number; symbol: string; aami: string | null }[] }).value;
    expect(beats.map((b) => b.sample)).toEqual(ctx.catalog.referenceBeats(record).map((b) => b.sample));
    expect(beats.filter((b) => b.symbol === 'V').map((b) => b.aami)).toEqual(['V']);
  });

  it('FGSM on one beat: the beat as the dataset cuts it, L∞ = ε, norms and SNR of δ, mV per unit from the raw window', async () => {
    const beat = ctx.catalog.referenceBeats(record)[20]!;
    const r = resultOf(await run({ record: '100', beat: beat.sample, attack: { name: 'fgsm', params: { eps: 0.01 } } }));
    expect(r).toMatchObject({ model: 'atk-gan-mitdb-random', record: '100', recordId: record, beat: beat.sample, reference: beat.aami, attack: 'fgsm', queries: null, parameters: { eps: 0.01 }, compare: null });
    // Cut exactly as classification (and the dataset) cuts it.
    const m = await resolveModel(ctx.store, 'atk-gan-mitdb-random');
    const all = await recordBeats(ctx, record, windowForModel(m));
    const k = all.samples.indexOf(beat.sample);
    expect(r.clean).toEqual(Array.from(all.values.subarray(k * 280, (k + 1) * 280)));
    expect(r.adversarial).toHaveLength(280);
    const delta = r.adversarial.map((v, i) => v - r.clean[i]!);
    expect(r.perturbation.linf).toBeCloseTo(Math.max(...delta.map(Math.abs)), 6);
    expect(r.perturbation.linf).toBeLessThanOrEqual(0.01 + 1e-6);
    expect(r.perturbation.linf).toBeGreaterThan(0.005);
    expect(r.perturbation.l2).toBeCloseTo(Math.hypot(...delta), 5);
    const signal = r.clean.reduce((a, v) => a + v * v, 0);
    expect(r.perturbation.snrDb).toBeCloseTo(10 * Math.log10(signal / delta.reduce((a, d) => a + d * d, 0)), 3);
    checkVerdict(r.before, true);
    checkVerdict(r.after, true);
    // MLII of 100 is in mV at 360 Hz: the paper window is 90 samples before the R peak, 280 long.
    const rec = await loadRecord(join(samplesDir(), '100.hea'), { verify: false });
    const [raw] = await rec.readWindow(beat.sample - 90, beat.sample + 190, [0]);
    expect(r.mvPerUnit).toBeCloseTo(Math.max(...raw!) - Math.min(...raw!), 5);
    expect(r.samplingRate).toBe(360);
    // The same scale is offered before a run, so the form can show ε in mV.
    const scale = await core.call('attacks.beatScale', { record: '100', beat: beat.sample });
    expect(scale.ok && scale.value).toEqual({ model: 'atk-gan-mitdb-random', mvPerUnit: r.mvPerUnit, length: 280, samplingRate: 360 });
  }, 60_000);

  it('PGD side by side: the same attack on a second model, each within its ε ball', async () => {
    const beat = ctx.catalog.referenceBeats(record).find((b) => b.aami === 'V')!;
    const r = resultOf(await run({ record: '100', beat: beat.sample, attack: { name: 'pgd', params: { eps: 0.02, alpha: 0.005, steps: 5, restarts: 1 } }, compare: 'dcnn-baseline' }));
    expect(r.parameters).toEqual({ eps: 0.02, alpha: 0.005, steps: 5, randomStart: true, restarts: 1, seed: 0 });
    expect(r.reference).toBe('V');
    expect(r.compare).not.toBeNull();
    expect(r.compare!.model).toBe('dcnn-baseline');
    expect(r.compare!.clean).toEqual(r.clean);
    checkVerdict(r.compare!.before, false);
    checkVerdict(r.compare!.after, false);
    for (const x of [r, r.compare!]) {
      expect(x.perturbation.linf).toBeLessThanOrEqual(0.02 + 1e-6);
      expect(Math.min(...x.adversarial)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...x.adversarial)).toBeLessThanOrEqual(1);
    }
  }, 60_000);

  it('refuses a sample that is not a beat (naming it and the nearest beat), bad parameters naming the field, and a negative sample', async () => {
    const beat = ctx.catalog.referenceBeats(record)[5]!.sample;
    const miss = await run({ record: '100', beat: beat + 3, attack: { name: 'fgsm', params: { eps: 0.01 } } });
    expect(miss.state).toBe('failed');
    expect(miss.error).toMatchObject({ code: 'INVALID_INPUT', message: `beat: sample ${beat + 3} is not an annotated or detected beat of record 100 (nearest beat: ${beat})` });
    const bad = await run({ record: '100', beat, attack: { name: 'pgd', params: { eps: 2, alpha: 0.1, steps: 3 } } });
    expect(bad.state).toBe('failed');
    expect(bad.error?.message).toMatch(/^pgd: parameter "eps"/);
    const neg = await core.call('attacks.beat', { record: '100', beat: -1, attack: { name: 'fgsm', params: { eps: 0.01 } } });
    expect(neg.ok).toBe(false);
    expect(!neg.ok && neg.error.message).toMatch(/beat:/);
    const rec = await run({ record: 'nope', beat, attack: { name: 'fgsm', params: { eps: 0.01 } } });
    expect(rec.error?.message).toMatch(/No record "nope"/);
  }, 60_000);

  it('cancel stops a long attack inside the pool', async () => {
    const beat = ctx.catalog.referenceBeats(record)[40]!.sample;
    const events: JobStatus[] = [];
    const off = core.onEvent((e: ApiEvent) => events.push(e.job));
    try {
      const started = await core.call('attacks.beat', { record: '100', beat, attack: { name: 'pgd', params: { eps: 0.02, alpha: 0.001, steps: 1000, restarts: 20 } } });
      const { jobId } = (started as { ok: true; value: { jobId: string } }).value;
      while (!events.some((j) => j.id === jobId && j.state === 'running')) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      expect((await core.call('jobs.cancel', { id: jobId })).ok).toBe(true);
      let end: JobStatus | undefined;
      while (!(end = events.find((j) => j.id === jobId && TERMINAL_JOB_STATES.includes(j.state)))) await new Promise((r) => setTimeout(r, 20));
      expect(end.state).toBe('cancelled');
      // 20 000 PGD steps take minutes; the cancel lands within a few steps.
      expect(performance.now() - t0).toBeLessThan(10_000);
    } finally {
      off();
    }
  }, 60_000);

  it('saved cases: save, list (newest first, with the verdicts), get the full result back, delete', async () => {
    const beat = ctx.catalog.referenceBeats(record)[30]!.sample;
    const input = { record: '100', beat, attack: { name: 'fgsm' as const, params: { eps: 0.01 } } };
    const result = resultOf(await run(input));
    const call = async <K extends Parameters<Core['call']>[0]>(op: K, i: unknown): Promise<unknown> => {
      const e = await core.call(op, i);
      if (!e.ok) throw new Error(e.error.message);
      return e.value;
    };
    const a = (await call('attacks.cases.save', { name: 'first', input, result })) as { id: number };
    const b = (await call('attacks.cases.save', { name: 'second', input, result })) as { id: number };
    const list = (await call('attacks.cases.list', {})) as { id: number; name: string; model: string; before: string; after: string; reference: string | null }[];
    expect(list.map((c) => c.name)).toEqual(['second', 'first']);
    expect(list[0]).toMatchObject({ id: b.id, model: 'atk-gan-mitdb-random', before: result.before.predicted, after: result.after.predicted, reference: result.reference });
    const got = (await call('attacks.cases.get', { id: a.id })) as { input: unknown; result: SimulatorResult };
    expect(got.result).toEqual(result);
    expect(got.input).toEqual(input);
    expect(await call('attacks.cases.delete', { id: a.id })).toEqual({ deleted: true });
    expect(await call('attacks.cases.delete', { id: a.id })).toEqual({ deleted: false });
    expect(((await call('attacks.cases.list', {})) as { id: number }[]).map((c) => c.id)).toEqual([b.id]);
    const gone = await core.call('attacks.cases.get', { id: a.id });
    expect(!gone.ok && gone.error.code).toBe('NOT_FOUND');
    const empty = await core.call('attacks.cases.save', { name: ' ', input, result });
    expect(!empty.ok && empty.error.message).toMatch(/name/);
  }, 60_000);
});
