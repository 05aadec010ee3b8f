// The training ops through the typed core, as the app and the CLI call them: a run started as a
// job is listed and found by id, job id and folder; cancel stops it with a checkpoint and the run
// reads `cancelled`; training.resume finishes it from there; bad input names the field.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openApp, type AppContext } from '../../../src-main/app/context.ts';
import { createInProcessCore, type Core } from '../../../src-main/app/core.ts';
import type { JobStatus, TrainingRun } from '../../../src-shared/contract/index.ts';
import { tinyDataset } from './dataset-fixture.ts';
import { tempDir } from '../../helpers.ts';

const home = tempDir();
let app: AppContext;
let core: Core;

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

async function until(id: string, pred: (s: JobStatus) => boolean): Promise<JobStatus> {
  for (;;) {
    const s = await ok<JobStatus>(core.call('jobs.get', { id }));
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  app = await openApp({ env: { ...process.env, ECGATK_HOME: home.path, ECGATK_WORKERS: '2' }, jobs: { progressIntervalMs: 0, persistIntervalMs: 0 } });
  core = createInProcessCore(app);
  await tinyDataset(app.datasets, 'tiny', 200, 128, 6);
}, 30_000);
afterAll(async () => {
  await core?.close();
  home.cleanup();
});

describe('training ops', () => {
  it('start → cancel (checkpoint) → resume → succeeded; runs listed and found by id, job and folder', async () => {
    const { jobId } = await ok<{ jobId: string }>(core.call('training.start', { model: 'kachuee', dataset: 'tiny', epochs: 20, batch: 8, checkpointEvery: 2 }));
    const running = await until(jobId, (s) => s.kind === 'training.run' && (s.metrics?.step ?? 0) >= 3);
    const runId = running.kind === 'training.run' ? running.metrics!.runId : '';
    await ok(core.call('jobs.cancel', { id: jobId }));
    const cancelled = await until(jobId, (s) => s.state !== 'running' && s.state !== 'queued');
    expect(cancelled.state).toBe('cancelled');
    const run = await ok<TrainingRun>(core.call('training.get', { id: runId }));
    expect(run.status).toBe('cancelled');
    expect(run.checkpointPath).not.toBeNull();
    expect(run.params).toMatchObject({ model: 'kachuee', epochs: 20, batch: 8, attackEps: 0.01, valFraction: 0.1 });
    expect((await ok<TrainingRun>(core.call('training.get', { id: run.dir }))).id).toBe(runId);
    expect((await ok<TrainingRun>(core.call('training.get', { id: jobId }))).id).toBe(runId);

    await ok(core.call('training.resume', { run: runId }));
    const done = await until(jobId, (s) => s.state !== 'running' && s.state !== 'queued');
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    if (done.kind !== 'training.run') throw new Error('wrong kind');
    expect(done.result!.resumedFromStep).toBeGreaterThanOrEqual(3);
    expect(done.result!.workers).toBe(2);
    expect(done.result!.epochs).toBe(20);
    const [listed] = await ok<TrainingRun[]>(core.call('training.runs', {}));
    expect(listed).toMatchObject({ id: runId, status: 'succeeded', modelDir: done.result!.modelDir });
    expect(listed!.epochs).toHaveLength(20);
    // The trained model is in the registry under its run, ready to evaluate, classify or make default.
    const models = await ok<{ name: string; path: string; card: { training?: { runId: string } } }[]>(core.call('models.list', {}));
    const entry = models.find((m) => m.card.training?.runId === runId);
    expect(entry).toMatchObject({ name: `kachuee-tiny-${runId.slice(0, 8)}`, path: done.result!.modelDir });
    expect(done.result!.modelName).toBe(entry!.name);
    // Only an ATK-GAN has a detector to calibrate.
    expect(done.result!.detector).toBeNull();
    expect(done.metrics?.stage).toBeUndefined();
  }, 120_000);

  it('an ATK-GAN run ends with its detector calibrated on the validation split, written to its card', async () => {
    const { jobId } = await ok<{ jobId: string }>(core.call('training.start', { model: 'atk-gan', dataset: 'tiny', epochs: 1, batch: 8, maxSteps: 3, attackEps: 0.02 }));
    const done = await until(jobId, (s) => s.state !== 'running' && s.state !== 'queued');
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    if (done.kind !== 'training.run') throw new Error('wrong kind');
    // Its last progress was the calibration stage, the last step's numbers kept beside it.
    expect(done.metrics).toMatchObject({ stage: 'calibrate', step: 3 });
    const d = done.result!.detector!;
    // 16 validation beats (10 % of the 160 train beats): at 5 % not one clean beat may be flagged.
    expect(d).toMatchObject({ targetFalseAlarmRate: 0.05, falseAlarmRate: 0, eps: 0.02, beats: 16 });
    const models = await ok<{ name: string; card: { detector?: { threshold: number; beats: number } } }[]>(core.call('models.list', {}));
    expect(models.find((m) => m.name === done.result!.modelName)?.card.detector).toMatchObject({ threshold: d.threshold, beats: 16 });

    // A validation split too small to hold a beat: the run still succeeds, its model uncalibrated.
    const small = await ok<{ jobId: string }>(core.call('training.start', { model: 'atk-gan', dataset: 'tiny', epochs: 1, batch: 8, maxSteps: 2, valFraction: 0.001 }));
    const smallDone = await until(small.jobId, (s) => s.state !== 'running' && s.state !== 'queued');
    expect(smallDone.state, JSON.stringify(smallDone.error)).toBe('succeeded');
    if (smallDone.kind !== 'training.run') throw new Error('wrong kind');
    expect(smallDone.result!.detector).toBeNull();
  }, 120_000);

  it('cancelled while calibrating: the trained model stays, uncalibrated; resuming the job calibrates it without training again', async () => {
    const { jobId } = await ok<{ jobId: string }>(core.call('training.start', { model: 'atk-gan', dataset: 'tiny', epochs: 1, batch: 8, maxSteps: 2 }));
    // Job events are synchronous: the cancel lands as calibration reports its first progress.
    let asked = false;
    const off = app.jobs.onChange((s) => {
      if (!asked && s.id === jobId && s.kind === 'training.run' && s.metrics?.stage === 'calibrate') {
        asked = true;
        app.jobs.cancel(jobId);
      }
    });
    const cancelled = await until(jobId, (s) => s.state !== 'running' && s.state !== 'queued');
    off();
    expect(asked).toBe(true);
    expect(cancelled.state).toBe('cancelled');
    if (cancelled.kind !== 'training.run') throw new Error('wrong kind');
    const runId = cancelled.metrics!.runId;
    expect((await ok<TrainingRun>(core.call('training.get', { id: runId }))).status).toBe('succeeded');
    const name = `atk-gan-tiny-${runId.slice(0, 8)}`;
    const cardOf = async (): Promise<{ detector?: { beats: number } } | undefined> =>
      (await ok<{ name: string; card: { detector?: { beats: number } } }[]>(core.call('models.list', {}))).find((m) => m.name === name)?.card;
    expect(await cardOf()).toBeDefined();
    expect((await cardOf())!.detector).toBeUndefined();

    await ok(core.call('jobs.resume', { id: jobId }));
    const done = await until(jobId, (s) => s.state !== 'running' && s.state !== 'queued');
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    if (done.kind !== 'training.run') throw new Error('wrong kind');
    expect(done.result).toMatchObject({ resumedFromStep: 2, steps: 2, modelName: name });
    expect(done.result!.detector?.beats).toBe(16);
    expect((await cardOf())!.detector?.beats).toBe(16);
  }, 120_000);

  it('a warm-started run validates (and calibrates) on the hold-out of the model it starts from, whatever its own seed', async () => {
    const src = await ok<{ jobId: string }>(core.call('training.start', { model: 'dcnn', dataset: 'tiny', epochs: 1, batch: 8, maxSteps: 2, seed: 1 }));
    const srcDone = await until(src.jobId, (s) => s.state !== 'running' && s.state !== 'queued');
    if (srcDone.kind !== 'training.run' || srcDone.state !== 'succeeded') throw new Error(JSON.stringify(srcDone.error));
    const { jobId } = await ok<{ jobId: string }>(core.call('training.start', { model: 'atk-gan', dataset: 'tiny', epochs: 1, batch: 8, maxSteps: 2, seed: 5, init: srcDone.result!.modelName }));
    const done = await until(jobId, (s) => s.state !== 'running' && s.state !== 'queued');
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    if (done.kind !== 'training.run') throw new Error('wrong kind');
    const models = await ok<{ name: string; card: { seed: number; training?: { validationFraction: number; validationSeed?: number } } }[]>(core.call('models.list', {}));
    const card = models.find((m) => m.name === done.result!.modelName)!.card;
    expect(card.seed).toBe(5);
    expect(card.training).toMatchObject({ validationFraction: 0.1, validationSeed: 1 });
    expect(done.result!.detector?.beats).toBe(16);
  }, 120_000);

  it('refuses bad parameters naming the field, and an unknown dataset or run', async () => {
    const bad = await core.call('training.start', { model: 'kachuee', dataset: 'tiny', batch: 1 });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toContain('batch');
    const { jobId } = await ok<{ jobId: string }>(core.call('training.start', { model: 'dcnn', dataset: 'nope' }));
    const failed = await until(jobId, (s) => s.state === 'failed');
    expect(failed.error?.message).toMatch(/No dataset nope/);
    const missing = await core.call('training.get', { id: 'no-such-run' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
