// Robustness audits on a generated dataset with two tiny saved models and a 2-attack × 2-ε suite:
// the stored table, an audit cancelled mid-way and resumed with the same job gives the table of
// an uninterrupted one, a rerun reproduces every number, CSV/JSON exports hold the stored figures,
// and bad input is refused with the field or file named.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Audit, AuditComparison, AuditJobParams, JobStatus } from '../../../src-shared/contract/index.ts';
import { auditFixture, ok, type AuditFixture } from './fixture.ts';
import { tinyDataset } from '../training/dataset-fixture.ts';
import { readCard, writeCard } from '../../../src-main/models/verify.ts';
import { registerModel } from '../../../src-main/models/registry.ts';

let f: AuditFixture;
const EPS = [0.02, 0.05];
let first: Audit;

beforeAll(async () => {
  f = await auditFixture();
}, 180_000);
afterAll(async () => {
  await f?.cleanup();
});

const params = (over: Partial<AuditJobParams['input']> = {}): AuditJobParams => ({
  input: { models: [f.kachuee, f.gan], dataset: 'tiny', suite: f.suiteFile, eps: EPS, mode: 'adaptive', lambdas: [0, 1, 10], seed: 7, examples: 2, ...over },
  rerunOf: null,
  suiteSpecs: null,
});

function write(name: string, body: string): string {
  const p = join(f.home, name);
  writeFileSync(p, body);
  return p;
}

async function runToEnd(p: AuditJobParams): Promise<{ status: JobStatus; audit: Audit | null }> {
  const status = await f.app.jobs.wait(f.app.jobs.start('audits.run', p));
  const result = status.kind === 'audits.run' ? status.result : null;
  return { status, audit: result ? await ok<Audit>(f.core.call('audits.get', { id: result.auditId })) : null };
}

describe('robustness audit', () => {
  it('stores the grid: model × attack × ε with robust accuracy, CI, worst case, detection and provenance', async () => {
    const { status, audit } = await runToEnd(params());
    expect(status.state, JSON.stringify(status.error)).toBe('succeeded');
    first = audit!;
    const kach = f.app.store.models.get(f.kachuee)!;
    expect(first.status).toBe('succeeded');
    expect(first.cells).toHaveLength(2 * 2 * 2);
    expect(first.cellsDone).toBe(8);
    // 240 beats, 20% test split: 48 beats in every cell.
    expect(first.beats).toBe(48);
    for (const c of first.cells) {
      expect(c.beats).toBe(48);
      // The attacks stay inside their L∞ budget.
      expect(c.linf.max).toBeLessThanOrEqual(c.eps + 1e-6);
      expect(c.robustAccuracyCi95.low).toBeLessThanOrEqual(c.robustAccuracy + 1e-12);
      expect(c.robustAccuracyCi95.high).toBeGreaterThanOrEqual(c.robustAccuracy - 1e-12);
      expect(c.confusion.flat().reduce((a, b) => a + b, 0)).toBe(48);
      expect(c.detection === null).toBe(c.model === f.kachuee);
      // An uncalibrated detector flags at P(attacked) > 0.5, and the cell says so.
      if (c.detection) expect(c.detection.threshold).toBe(0.5);
      if (c.attack === 'pgd') expect(c.params).toMatchObject({ eps: c.eps, alpha: 0.01, steps: 3, seed: expect.any(Number) });
    }
    // The trained model is right on the clean beats, and the larger budget hurts it at least as much.
    const clean = first.clean.find((c) => c.model === f.kachuee)!;
    expect(clean.accuracy).toBeGreaterThan(0.8);
    const pgd = (eps: number): number => first.cells.find((c) => c.model === f.kachuee && c.attack === 'pgd' && c.eps === eps)!.robustAccuracy;
    expect(pgd(0.05)).toBeLessThanOrEqual(pgd(0.02));
    // Worst case per model and ε is at most every attack's robust accuracy there.
    expect(first.worst).toHaveLength(4);
    for (const w of first.worst) {
      const cells = first.cells.filter((c) => c.model === w.model && c.eps === w.eps);
      expect(w.robustAccuracy).toBeLessThanOrEqual(Math.min(...cells.map((c) => c.robustAccuracy)) + 1e-12);
      expect(w.defendedRate === null).toBe(w.model === f.kachuee);
    }
    // Examples: 2 per cell, perturbed within ε, the before/after verdicts as stored.
    expect(first.examples).toHaveLength(16);
    for (const e of first.examples) expect(Math.max(...e.adversarial.map((v, i) => Math.abs(v - e.clean[i]!)))).toBeLessThanOrEqual(e.eps + 1e-6);
    const p = first.provenance;
    expect(p.models.find((m) => m.name === f.kachuee)).toMatchObject({ kind: 'kachuee', weightsSha256: kach.card.files['weights.bin'].sha256, modelJsonSha256: kach.card.files['model.json'].sha256 });
    expect(p.dataset.manifestHash).toBe(f.app.store.datasets.find('tiny')!.manifest.hash);
    expect(p).toMatchObject({ seed: 7, backend: 'wasm', workers: 1, appVersion: f.app.meta.version });
    expect(p.backendVersion).toMatch(/^@tensorflow\/tfjs-backend-wasm@\d+\.\d+/);
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: join(import.meta.dirname, '..', '..', '..'), encoding: 'utf8' });
    if (head.status === 0) expect(p.gitCommit).toBe(head.stdout.trim());
    expect(p.suite).toHaveLength(8);
    expect(p.finishedAt).not.toBeNull();
    const log = f.app.store.audit.list(50).filter((e) => (e.details as { id?: string }).id === first.id).map((e) => e.action);
    expect(log).toEqual(['audit.finish', 'audit.start']);
    const listed = await ok<{ id: string; cellsDone: number }[]>(f.core.call('audits.list', {}));
    expect(listed.find((a) => a.id === first.id)).toMatchObject({ cellsDone: 8 });
  }, 180_000);

  it('cancelled mid-way and resumed with the same job, it ends with the same table as the uninterrupted run', async () => {
    const jobId = f.app.jobs.start('audits.run', params());
    for (let i = 0; i < 6000 && (f.app.store.audits.byJob(jobId)?.cellsDone ?? 0) < 3; i++) await new Promise((r) => setTimeout(r, 10));
    f.app.jobs.cancel(jobId);
    const stopped = await f.app.jobs.wait(jobId);
    expect(stopped.state).toBe('cancelled');
    const partial = f.app.store.audits.byJob(jobId)!;
    expect(partial.status).toBe('cancelled');
    expect(partial.cellsDone).toBeGreaterThanOrEqual(3);
    expect(partial.cellsDone).toBeLessThan(8);
    f.app.jobs.resume(jobId);
    const done = await f.app.jobs.wait(jobId);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    if (done.kind !== 'audits.run') throw new Error(done.kind);
    expect(done.result!.auditId).toBe(partial.id);
    expect(done.result!.resumedAtCell).toBe(partial.cellsDone);
    const cmp = await ok<AuditComparison>(f.core.call('audits.compare', { id: first.id, with: partial.id }));
    expect(cmp.mismatches).toEqual([]);
    expect(cmp).toMatchObject({ reproduced: true, cells: 8 });
    const resumed = await ok<Audit>(f.core.call('audits.get', { id: partial.id }));
    expect(resumed.worst).toEqual(first.worst);
    expect(resumed.examples).toEqual(first.examples);
  }, 240_000);

  it('a rerun uses the stored input, records what it re-ran and reproduces every number; a different seed does not', async () => {
    // The file changes after the audit: the rerun still uses the specs it was read as.
    const saved = readFileSync(f.suiteFile, 'utf8');
    writeFileSync(f.suiteFile, JSON.stringify([{ name: 'fgsm', params: {} }]));
    try {
      const { jobId } = await ok<{ jobId: string }>(f.core.call('audits.rerun', { id: first.id }));
      const s = await f.app.jobs.wait(jobId);
      expect(s.state, JSON.stringify(s.error)).toBe('succeeded');
      const id = s.kind === 'audits.run' ? s.result!.auditId : '';
      const again = await ok<Audit>(f.core.call('audits.get', { id }));
      expect(again.rerunOf).toBe(first.id);
      const cmp = await ok<AuditComparison>(f.core.call('audits.compare', { id: first.id, with: id }));
      expect(cmp.reproduced, JSON.stringify(cmp.mismatches)).toBe(true);
    } finally {
      writeFileSync(f.suiteFile, saved);
    }
    // A different seed moves PGD's random start: the comparison finds the differences.
    const other = await runToEnd(params({ seed: 8, models: [f.kachuee], eps: [0.05] }));
    const cmp = await ok<AuditComparison>(f.core.call('audits.compare', { id: first.id, with: other.audit!.id }));
    expect(cmp.reproduced).toBe(false);
    expect(cmp.mismatches.some((m) => m.field === 'params.seed')).toBe(true);
    expect(cmp.mismatches.some((m) => m.field === 'cell' && m.rerun === 'missing')).toBe(true);
  }, 240_000);

  it('exports CSV and JSON holding the stored figures; HTML is the report page; PDF is printed by Chromium', async () => {
    const csv = await ok<{ path: string; bytes: number }>(f.core.call('audits.export', { id: first.id, format: 'csv', out: join(f.home, 'out', 'a.csv') }));
    const lines = readFileSync(csv.path, 'utf8').trim().split('\n');
    expect(csv.bytes).toBe(Buffer.byteLength(readFileSync(csv.path)));
    const head = lines[0]!.split(',');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i]!, v])));
    expect(rows.filter((r) => r.row === 'cell')).toHaveLength(8);
    expect(rows.filter((r) => r.row === 'worst')).toHaveLength(4);
    for (const c of first.cells) {
      const r = rows.find((x) => x.row === 'cell' && x.model === c.model && x.label === c.label && Number(x.eps) === c.eps)!;
      expect(Number(r.robust_accuracy)).toBe(c.robustAccuracy);
      expect(Number(r.robust_ci95_low)).toBe(c.robustAccuracyCi95.low);
      expect(Number(r.linf_max)).toBe(c.linf.max);
      expect(r.detection_tpr === '' ? null : Number(r.detection_tpr)).toBe(c.detection?.tpr ?? null);
    }
    const json = await ok<{ path: string }>(f.core.call('audits.export', { id: first.id, format: 'json', out: join(f.home, 'out', 'a.json') }));
    expect(JSON.parse(readFileSync(json.path, 'utf8'))).toEqual(JSON.parse(JSON.stringify(first)));
    const html = await ok<{ path: string }>(f.core.call('audits.export', { id: first.id, format: 'html' }));
    expect(html.path).toBe(join(f.app.paths.reportsDir, `audit-${first.id.slice(0, 8)}.html`));
    expect(readFileSync(html.path, 'utf8')).toContain(first.provenance.dataset.manifestHash);
    const pdf = await f.core.call('audits.export', { id: first.id, format: 'pdf' });
    if (existsSync('/usr/bin/chromium') || process.env.ECGATK_CHROMIUM) {
      const out = (pdf as { ok: true; value: { path: string } }).value;
      expect(pdf.ok, JSON.stringify(pdf)).toBe(true);
      expect(readFileSync(out.path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } else {
      expect(JSON.stringify(pdf)).toContain('PDF export needs Chromium');
    }
    const exports = f.app.store.audit.list(20).filter((e) => e.action === 'audit.export').map((e) => (e.details as { format: string }).format);
    expect(exports.sort()).toEqual(pdf.ok ? ['csv', 'html', 'json', 'pdf'] : ['csv', 'html', 'json']);
  }, 60_000);

  it('transfer mode: the source crafts and each model is evaluated on its beats; adaptive-pgd only with a detector on the source', async () => {
    const suite = write('transfer.json', JSON.stringify([{ name: 'fgsm' }, { name: 'adaptive-pgd', params: { alpha: 0.01, steps: 2 } }]));
    const t = await runToEnd(params({ models: [f.gan], mode: 'transfer', source: f.kachuee, eps: [0.05], suite, limit: 12, examples: 12 }));
    expect(t.status.state, JSON.stringify(t.status.error)).toBe('succeeded');
    // The source (Kachuee) has no detector head: the detector-aware attack is left out of the grid.
    expect(t.audit!.cells.map((c) => [c.model, c.label])).toEqual([[f.gan, 'fgsm']]);
    expect(t.audit!.cells[0]!.detection).not.toBeNull();
    expect(t.audit!.provenance.source).toEqual({ name: f.kachuee, weightsSha256: f.app.store.models.get(f.kachuee)!.modelHash });
    // FGSM is deterministic: the beats the GAN was evaluated on are the ones crafted against Kachuee itself.
    const a = await runToEnd(params({ models: [f.kachuee], eps: [0.05], suite: write('fgsm.json', JSON.stringify([{ name: 'fgsm' }])), limit: 12, examples: 12 }));
    const crafted = new Map(a.audit!.examples.map((e) => [e.beatIndex, e.adversarial]));
    expect(t.audit!.examples).toHaveLength(12);
    for (const e of t.audit!.examples) expect(e.adversarial).toEqual(crafted.get(e.beatIndex));
  }, 120_000);

  it('bad input names the field or the file', async () => {
    const start = (input: Record<string, unknown>) => f.core.call('audits.start', { models: [f.kachuee], dataset: 'tiny', suite: f.suiteFile, ...input } as never);
    const bad = await start({ eps: [0.01, 2] });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toMatch(/eps\.1: Too big/);
    const noSource = await start({ mode: 'transfer' });
    expect(JSON.stringify(noSource)).toMatch(/transfer mode needs a source model/);
    expect(JSON.stringify(noSource)).toMatch(/"source"/);

    const failing = async (over: Partial<AuditJobParams['input']>): Promise<string> => {
      const { status } = await runToEnd(params(over));
      expect(status.state).toBe('failed');
      return status.error!.message;
    };
    expect(await failing({ models: ['nope'] })).toMatch(/^models\[0\]: No model named "nope"/);
    expect(await failing({ mode: 'transfer', source: 'nada' })).toMatch(/^source: No model named "nada"/);
    expect(await failing({ dataset: 'missing' })).toMatch(/^dataset: no dataset "missing"/);
    const missing = join(f.home, 'none.json');
    expect(await failing({ suite: missing })).toContain(`suite ${missing}: is neither a preset`);
    const notJson = write('bad.json', '[{');
    expect(await failing({ suite: notJson })).toContain(`suite ${notJson}: not JSON`);
    const unknown = write('unknown.json', JSON.stringify([{ name: 'fgsm' }, { name: 'deepfool', params: {} }]));
    expect(await failing({ suite: unknown })).toMatch(new RegExp(`suite ${unknown}: entry 2: name: `));
    const badParam = write('alpha.json', JSON.stringify([{ name: 'pgd', params: { alpha: -1, steps: 3 } }]));
    expect(await failing({ suite: badParam })).toContain(`suite ${badParam}: entry 1 at ε=0.02: pgd: parameter "alpha"`);
    const onlyAdaptive = write('adaptive.json', JSON.stringify([{ name: 'adaptive-pgd', params: { alpha: 0.01, steps: 2 } }]));
    expect(await failing({ models: [f.kachuee], suite: onlyAdaptive })).toContain('no attack applies to these models (adaptive-pgd needs an ATK-GAN discriminator)');
    await tinyDataset(f.app.datasets, 'short', 60, 64, 1);
    expect(await failing({ dataset: 'short' })).toContain(`Model ${f.kachuee} takes 128 samples at 125 Hz; dataset short has 64 at 125 Hz`);
  }, 120_000);

  it("flags with the model's calibrated threshold from its card (0: every beat flagged, so every beat defended)", async () => {
    const dir = f.app.store.models.get(f.gan)!.path;
    const card = await readCard(dir);
    await writeCard(dir, { ...card, detector: { threshold: 0, targetFalseAlarmRate: 0.5, falseAlarmRate: 1, detectionRate: 1, eps: 0.01, beats: 1, calibratedAt: new Date(0).toISOString() } });
    await registerModel(f.app.store, f.gan, dir);
    const { audit } = await runToEnd(params({ models: [f.gan], eps: [0.02] }));
    for (const c of audit!.cells) expect(c.detection).toEqual({ tpr: 1, fpr: 1, defendedRate: 1, undetectedMisclassified: 0, threshold: 0 });
    expect(audit!.worst[0]!.defendedRate).toBe(1);
    await writeCard(dir, card);
    await registerModel(f.app.store, f.gan, dir);
  }, 120_000);
});
