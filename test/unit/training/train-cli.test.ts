// `ecgatk train` as users run it: a real SIGKILL of the training process after a checkpoint was
// written, then `--resume` continues from that checkpoint's step (not step 0) and finishes; the run
// is recorded in SQLite with its epochs, checkpoint and model, whose card names the command. Between
// the kill and the resume the run reads interrupted.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp } from '../../../src-main/app/context.ts';
import { findRun, listRuns } from '../../../src-main/training/service.ts';
import { tinyDataset } from './dataset-fixture.ts';
import { tempDir } from '../../helpers.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'src-main', 'cli', 'bin.mjs');
const home = tempDir();
afterAll(() => home.cleanup());
const env: NodeJS.ProcessEnv = { ...process.env, ECGATK_HOME: home.path, ECGATK_WORKERS: '1' };
delete env.ECGATK_BACKEND;

describe('ecgatk train', () => {
  it('refuses a bad flag naming it, and prints usage without arguments', () => {
    const bad = spawnSync(process.execPath, [BIN, 'train', '--model', 'resnet', '--dataset', 'x'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--model');
    const by = spawnSync(process.execPath, [BIN, 'train', '--model', 'dcnn', '--dataset', 'x', '--select-by', 'loss', '--validate-every', '0'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(by.status).not.toBe(0);
    expect(by.stderr).toMatch(/--select-by: .*accuracy.*macro-f1/);
    expect(by.stderr).toMatch(/--validate-every: /);
    const usage = spawnSync(process.execPath, [BIN, 'train'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('ecgatk train --resume');
  });

  it('resumes after SIGKILL from the last checkpoint and finishes; the run is recorded', async () => {
    const app = await openApp({ env, withoutCompute: true });
    await tinyDataset(app.datasets, 'tiny', 240, 128, 4);
    await app.close();
    const out = join(home.path, 'run-a');
    const latest = join(out, 'latest.json');

    const child = spawn(process.execPath, [BIN, 'train', '--model', 'kachuee', '--dataset', 'tiny', '--epochs', '8', '--batch', '16', '--checkpoint-every', '3', '--seed', '2', '--out', out], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    for (let i = 0; i < 1500 && child.exitCode === null; i++) {
      if (existsSync(latest)) {
        child.kill('SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await exited;
    expect(child.signalCode, stderr).toBe('SIGKILL');
    const killedAt = (JSON.parse(readFileSync(latest, 'utf8')) as { step: number }).step;
    expect(killedAt).toBeGreaterThanOrEqual(3);
    expect(stderr).toMatch(/epoch 1\/8 step \d+ .*loss|epoch 1\/8 step \d+ .*total/);

    // The killed process left its row running; once the next launch marks the job interrupted, the run
    // reads interrupted too (list and get), so no screen shows it running forever.
    const between = await openApp({ env, withoutCompute: true });
    try {
      const stored = between.store.training.list(10)[0]!;
      expect(stored.status).toBe('running');
      expect(listRuns(between.store, 10)[0]).toMatchObject({ id: stored.id, status: 'interrupted' });
      expect(findRun(between.store, out).status).toBe('interrupted');
    } finally {
      await between.close();
    }

    const r = spawnSync(process.execPath, [BIN, 'train', '--resume', out], { env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const resumedFrom = Number(/resumed from step (\d+)/.exec(r.stdout)?.[1]);
    // latest.json was read after the process died: the last checkpoint it wrote.
    expect(resumedFrom).toBe(killedAt);
    expect(r.stdout).toMatch(/8 epochs, \d+ steps on 1 worker/);
    expect(r.stderr).toMatch(/beats\/s \| ETA/);
    const modelDir = /model: (.+)/.exec(r.stdout)![1]!.trim();
    const card = JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8')) as { trainingCommand: string; epochs: number; training: { workers: number } };
    expect(card.trainingCommand).toContain('ecgatk train --model kachuee --dataset tiny --epochs 8');
    expect(card.epochs).toBe(8);

    const check = await openApp({ env, withoutCompute: true });
    try {
      const [run] = check.store.training.list(10);
      expect(run).toMatchObject({ status: 'succeeded', model: 'kachuee', dir: out, modelDir });
      expect(run!.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(run!.checkpointPath).toMatch(/ckpt-\d+-[0-9a-f]+$/);
      expect(check.store.jobs.get(run!.jobId)?.state).toBe('succeeded');
    } finally {
      await check.close();
    }
  }, 120_000);
});
