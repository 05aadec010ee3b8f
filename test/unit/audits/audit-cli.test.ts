// `ecgatk audit` as users run it: bad flags named; a real SIGKILL of the audit process mid-grid,
// then `audit resume` finishes after the stored cells; `audit rerun` reports every number
// reproduced; `audits --json` lists both; `report export` writes the CSV.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openApp } from '../../../src-main/app/context.ts';
import { initCompute } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { saveModel } from '../../../src-main/models/io.ts';
import type { AuditSummary, ModelKind } from '../../../src-shared/contract/index.ts';
import { tinyDataset } from '../training/dataset-fixture.ts';
import { tempDir } from '../../helpers.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'src-main', 'cli', 'bin.mjs');
const home = tempDir();
const modelsDir = join(home.path, 'shipped');
const suite = join(home.path, 'suite.json');
const env: NodeJS.ProcessEnv = { ...process.env, ECGATK_HOME: home.path, ECGATK_WORKERS: '1', ECGATK_MODELS_DIR: modelsDir };
delete env.ECGATK_BACKEND;
afterAll(() => home.cleanup());

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 180_000 });

beforeAll(async () => {
  await initCompute('wasm');
  for (const [name, kind] of [['tiny-gan', 'atk-gan-d'], ['tiny-kachuee', 'kachuee']] as [string, ModelKind][]) {
    const m = buildModel(kind, { length: 128, classes: 2, seed: 9 });
    await saveModel(join(modelsDir, name), m, { kind, inputLength: 128, samplingRate: 125, normalisation: 'minmax per beat', classes: ['N', 'V'], datasetHash: null, seed: 9, epochs: 0, trainingCommand: 'audit cli fixture', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString() });
    m.dispose();
  }
  const app = await openApp({ env, withoutCompute: true });
  await tinyDataset(app.datasets, 'tiny', 240, 128, 5);
  await app.close();
  writeFileSync(suite, JSON.stringify([{ name: 'fgsm' }, { name: 'pgd', params: { alpha: 0.005, steps: 20 } }]));
}, 60_000);

describe('ecgatk audit', () => {
  it('names a bad flag, an unknown model and a bad suite file', () => {
    const eps = cli('audit', '--model', 'tiny-kachuee', '--dataset', 'tiny', '--suite', suite, '--eps', '0.01,2');
    expect(eps.status).not.toBe(0);
    expect(eps.stderr).toContain('--eps: Too big');
    const transfer = cli('audit', '--model', 'tiny-kachuee', '--dataset', 'tiny', '--mode', 'transfer');
    expect(transfer.stderr).toContain('--source: transfer mode needs a source model');
    const model = cli('audit', '--model', 'nope', '--dataset', 'tiny', '--suite', suite);
    expect(model.status).not.toBe(0);
    expect(model.stderr).toContain('models[0]: No model named "nope"');
    const file = cli('audit', '--model', 'tiny-kachuee', '--dataset', 'tiny', '--suite', 'missing-suite.json');
    expect(file.stderr).toContain(`suite ${join(process.cwd(), 'missing-suite.json')}: is neither a preset`);
    expect(cli('help').stdout).toContain('audit rerun <id>');
  }, 120_000);

  it('resumes after SIGKILL from the stored cells; the rerun reproduces every number; list and CSV export', async () => {
    const child = spawn(process.execPath, [BIN, 'audit', '--model', 'tiny-kachuee', '--model', 'tiny-gan', '--dataset', 'tiny', '--suite', suite, '--eps', '0.02,0.05', '--limit', '30', '--seed', '3'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const cellsStored = (): number => {
      try {
        const db = new Database(join(home.path, 'ecgatk.sqlite'), { readonly: true, fileMustExist: true });
        try {
          return (db.prepare('SELECT COUNT(*) AS n FROM audit_cells').get() as { n: number }).n;
        } finally {
          db.close();
        }
      } catch {
        return 0; // not created or not migrated yet
      }
    };
    for (let i = 0; i < 6000 && child.exitCode === null; i++) {
      if (cellsStored() >= 2) {
        child.kill('SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await exited;
    expect(child.signalCode, stderr).toBe('SIGKILL');
    const killedAt = cellsStored();
    expect(killedAt).toBeLessThan(8);
    const [partial] = JSON.parse(cli('audits', '--json').stdout) as AuditSummary[];
    // The killed process left the audit running; its job reads interrupted, and so does the audit.
    expect(partial).toMatchObject({ cellsTotal: 8, beats: 30, status: 'interrupted' });

    const resumed = cli('audit', 'resume', partial!.id);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`audit ${partial!.id}: succeeded`);
    expect(resumed.stdout.split('\n').filter((l) => /^tiny-(kachuee|gan)\s+(fgsm|pgd)\s/.test(l))).toHaveLength(8);
    expect(resumed.stdout).toMatch(/worst case over the suite/);
    expect(resumed.stdout).toMatch(/tiny-gan .* detected|detected .* defended/);

    const rerun = cli('audit', 'rerun', partial!.id);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`reproduced: every stored number of audit ${partial!.id}`);
    const list = JSON.parse(cli('audits', '--json').stdout) as AuditSummary[];
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ rerunOf: partial!.id, status: 'succeeded', cellsDone: 8 });

    const out = join(home.path, 'report.csv');
    const exp = cli('report', 'export', partial!.id.slice(0, 8), '--format', 'csv', '--out', out);
    expect(exp.status, exp.stderr).toBe(0);
    expect(exp.stdout).toContain(`csv report written: ${out}`);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^row,model,attack,label,eps,beats,clean_accuracy,robust_accuracy/);
    expect(rows.filter((r) => r.startsWith('cell,'))).toHaveLength(8);
    expect(rows.filter((r) => r.startsWith('worst,'))).toHaveLength(4);
    const bad = cli('report', 'export', partial!.id, '--format', 'docx');
    expect(bad.stderr).toContain('--format: expected one of html, pdf, csv, json');
  }, 300_000);
});
