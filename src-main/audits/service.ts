// A robustness audit as a resumable job: models × attacks × ε over a dataset's test split. Cells
// are computed one at a time and each is stored (figures, per-beat outcomes, examples) when done,
// so a killed audit resumed with the same job continues after the last stored cell and ends with
// the table an uninterrupted run gives (each cell's randomness comes from its own seed).
import { randomUUID } from 'node:crypto';
import { AppError, isCancelled } from '../../src-shared/errors.ts';
import {
  AuditInput,
  MODEL_FILE,
  WEIGHTS_FILE,
  type AttackSpec,
  type Audit,
  type AuditCell,
  type AuditClean,
  type AuditComparison,
  type AuditExample,
  type AuditJobParams,
  type AuditProgress,
  type AuditRunResult,
  type AuditSummary,
  type BackendName,
  type Provenance,
  type WorstCase,
} from '../../src-shared/contract/index.ts';
import type { Store } from '../store/db.ts';
import type { AuditCellRow, AuditRow } from '../store/repositories/audits.ts';
import { loadDatasetArrays } from '../datasets/build.ts';
import { argmaxRows, type BatchAttackRequest, type ScoredAttack } from '../attacks/attack.ts';
import { checkModelFitsDataset, resolveModel, type ResolvedModel } from '../models/registry.ts';
import { attackThreshold, flagsAttacked } from '../models/card.ts';
import { gitCommit } from '../config/git.ts';
import { backendVersion } from '../compute/versions.ts';
import { accuracy, attackSuccessRate, confusionMatrix, detection, perClass, perturbation, robustAccuracy, stats, worstCase } from '../metrics/index.ts';
import { planGrid, readSuiteFile, takesEps, type PlannedCell } from './suite.ts';
import { stratifiedSample } from './sample.ts';

/** One attack over beats on the compute pool (the app's attackOnPool). */
export type AuditAttackRequest = BatchAttackRequest;
export type AuditAttackResult = ScoredAttack;

export interface AuditDeps {
  store: Store;
  attack(o: AuditAttackRequest): Promise<AuditAttackResult>;
  /** The compute pool's backend and size (starts the pool). */
  compute(): Promise<{ backend: BackendName; workers: number }>;
  appVersion: string;
  /** Where package.json, node_modules and .git are (backend version, git commit). */
  appRoot: string;
}

/** What the runner needs from its job. */
export interface AuditJob {
  id: string;
  signal: AbortSignal;
  progress(fraction: number, message: string, metrics?: AuditProgress): void;
}

async function resolveField(store: Store, ref: string, field: string): Promise<ResolvedModel> {
  try {
    return await resolveModel(store, ref);
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `${field}: ${err.message}`);
    throw err;
  }
}

/** The dataset, checked against every model, and its (limited) test beats. */
async function auditedBeats(store: Store, input: AuditInput, models: readonly ResolvedModel[]) {
  const ds = store.datasets.find(input.dataset);
  if (!ds) throw new AppError('NOT_FOUND', `dataset: no dataset "${input.dataset}" (see ecgatk dataset list)`);
  const { manifest } = ds;
  for (const m of models) checkModelFitsDataset(m, manifest);
  const arrays = await loadDatasetArrays(ds.path);
  const L = manifest.beatLength;
  const test = [...arrays.split.keys()].filter((i) => arrays.split[i] === 1);
  if (test.length === 0) throw new AppError('INVALID_INPUT', `dataset: ${manifest.name} has no test beats`);
  const chosen = input.limit === undefined ? test : stratifiedSample(Int32Array.from(test, (i) => arrays.labels[i]!), input.limit, input.seed).map((k) => test[k]!);
  const beats = new Float32Array(chosen.length * L);
  chosen.forEach((i, k) => beats.set(arrays.values.subarray(i * L, (i + 1) * L), k * L));
  return { manifest, index: chosen, beats, labels: Int32Array.from(chosen, (i) => arrays.labels[i]!), L };
}

const hasDetector = (m: ResolvedModel): boolean => m.card.kind === 'atk-gan-d';

/**
 * A decision-based attack (no ε of its own) judged at a cell's budget: a beat whose adversarial found
 * lies farther than ε (L∞) from the clean one counts as not fooled at that ε — its clean beat and the
 * model's clean outputs stand in. Without this, an unbounded minimum-distance attack would fool every
 * beat at every ε and say nothing about robustness within the budget.
 */
export function withinBudget(r: AuditAttackResult, clean: Float32Array, L: number, classes: number, eps: number): AuditAttackResult {
  const out: AuditAttackResult = {
    ...r,
    adversarial: Float32Array.from(r.adversarial),
    adversarialProbabilities: Float32Array.from(r.adversarialProbabilities),
    adversarialAttacked: r.adversarialAttacked ? Float32Array.from(r.adversarialAttacked) : null,
  };
  const n = clean.length / L;
  for (let i = 0; i < n; i++) {
    let linf = 0;
    for (let t = i * L; t < (i + 1) * L; t++) linf = Math.max(linf, Math.abs(r.adversarial[t]! - clean[t]!));
    if (linf <= eps * (1 + 1e-6)) continue;
    out.adversarial.set(clean.subarray(i * L, (i + 1) * L), i * L);
    out.adversarialProbabilities.set(r.cleanProbabilities.subarray(i * classes, (i + 1) * classes), i * classes);
    if (out.adversarialAttacked && r.cleanAttacked) out.adversarialAttacked[i] = r.cleanAttacked[i]!;
  }
  return out;
}

/** The figures of one cell, its per-beat outcomes and its examples. */
function cellFigures(cell: PlannedCell, model: ResolvedModel, classes: readonly string[], data: { index: number[]; beats: Float32Array; labels: Int32Array; L: number }, r: AuditAttackResult, keep: number) {
  const C = classes.length;
  const { labels } = data;
  const cleanPred = argmaxRows(r.cleanProbabilities, C);
  const advPred = argmaxRows(r.adversarialProbabilities, C);
  const ra = robustAccuracy(labels, advPred);
  const confusion = confusionMatrix(labels, advPred, C);
  const scores = perClass(confusion);
  const pert = perturbation(data.beats, r.adversarial, data.L);
  const threshold = attackThreshold(model.card);
  const det = r.cleanAttacked && r.adversarialAttacked ? { ...detection(labels, advPred, r.cleanAttacked, r.adversarialAttacked, threshold), threshold } : null;
  const q = r.queries ? stats(r.queries) : null;
  const figures: AuditCell = {
    model: model.name,
    attack: cell.attack.name,
    label: cell.label,
    eps: cell.eps,
    params: cell.attack.params,
    beats: labels.length,
    cleanAccuracy: robustAccuracy(labels, cleanPred).value,
    robustAccuracy: ra.value,
    robustAccuracyCi95: ra.ci95,
    attackSuccessRate: attackSuccessRate(labels, cleanPred, advPred),
    perClass: Object.fromEntries(classes.map((c, k) => [c, scores[k]!])),
    confusion,
    l2: pert.l2,
    linf: pert.linf,
    snrDb: pert.snrDb,
    queries: q ? { mean: q.mean, max: q.max } : null,
    seconds: r.wallSeconds,
    detection: det,
  };
  const correct = Uint8Array.from(advPred, (p, i) => (p === labels[i] ? 1 : 0));
  const flagged = r.adversarialAttacked ? Uint8Array.from(r.adversarialAttacked, (a) => (flagsAttacked(a, threshold) ? 1 : 0)) : null;
  // Examples: beats the attack fooled first (clean right, adversarial wrong), then the rest, in beat order.
  const order = [...labels.keys()].sort((a, b) => Number(cleanPred[b] === labels[b] && advPred[b] !== labels[b]) - Number(cleanPred[a] === labels[a] && advPred[a] !== labels[a]) || a - b);
  const examples: AuditExample[] = order.slice(0, keep).map((i) => ({
    model: model.name,
    label: cell.label,
    eps: cell.eps,
    beatIndex: data.index[i]!,
    reference: classes[labels[i]!]!,
    clean: Array.from(data.beats.subarray(i * data.L, (i + 1) * data.L)),
    adversarial: Array.from(r.adversarial.subarray(i * data.L, (i + 1) * data.L)),
    before: classes[cleanPred[i]!]!,
    after: classes[advPred[i]!]!,
    attacked: r.adversarialAttacked ? r.adversarialAttacked[i]! : null,
  }));
  const cleanConfusion = confusionMatrix(labels, cleanPred, C);
  const cleanScores = perClass(cleanConfusion);
  const clean: AuditClean = { model: model.name, accuracy: accuracy(cleanConfusion), perClass: Object.fromEntries(classes.map((c, k) => [c, cleanScores[k]!])), confusion: cleanConfusion };
  return { row: { idx: cell.idx, figures, correct, flagged } satisfies AuditCellRow, examples, clean };
}

function provenanceMismatch(stored: Provenance, now: Provenance): string | null {
  const key = (p: Provenance): string => JSON.stringify([p.models, p.source, p.dataset, p.seed, p.suite]);
  if (key(stored) === key(now)) return null;
  return 'its models, dataset or suite changed since it started (hashes differ); start a new audit';
}

export async function runAudit(deps: AuditDeps, params: AuditJobParams, job: AuditJob): Promise<AuditRunResult> {
  const { store } = deps;
  const input = AuditInput.parse(params.input);
  const t0 = performance.now();
  const models = [];
  for (const [i, ref] of input.models.entries()) models.push(await resolveField(store, ref, `models[${i}]`));
  const source = input.mode === 'transfer' ? await resolveField(store, input.source!, 'source') : undefined;
  const data = await auditedBeats(store, input, source ? [...models, source] : models);
  const fileSpecs = params.suiteSpecs ?? (await readSuiteFile(input.suite));
  const plan = planGrid(input, fileSpecs, models.map((m) => ({ name: m.name, detector: hasDetector(source ?? m) })));
  if (plan.length === 0) throw new AppError('INVALID_INPUT', `suite ${input.suite}: no attack applies to these models (adaptive-pgd needs an ATK-GAN discriminator${source ? ' as the source' : ''})`);
  const classes = data.manifest.classes;
  const info = await deps.compute();
  const provenance: Provenance = {
    models: models.map((m) => ({ name: m.name, kind: m.card.kind, weightsSha256: m.card.files[WEIGHTS_FILE].sha256, modelJsonSha256: m.card.files[MODEL_FILE].sha256 })),
    source: source ? { name: source.name, weightsSha256: source.modelHash } : null,
    dataset: { id: data.manifest.id, name: data.manifest.name, manifestHash: data.manifest.hash },
    seed: input.seed,
    suite: plan.map((c) => c.attack),
    backend: info.backend,
    backendVersion: backendVersion(info.backend, deps.appRoot),
    workers: info.workers,
    appVersion: deps.appVersion,
    gitCommit: gitCommit(deps.appRoot),
    startedAt: new Date().toISOString(),
    finishedAt: null,
  };

  let audit = store.audits.byJob(job.id);
  if (audit) {
    const why = provenanceMismatch(audit.provenance, provenance);
    if (why) throw new AppError('CONFLICT', `Audit ${audit.id} cannot resume: ${why}`);
    store.audits.update(audit.id, { status: 'running', finishedAt: null });
    store.audit.append('audit.resume', { id: audit.id, jobId: job.id, cellsDone: audit.cellsDone });
  } else {
    if (params.rerunOf !== null && !store.audits.get(params.rerunOf)) throw new AppError('NOT_FOUND', `No audit ${params.rerunOf} to re-run`);
    await preflight(deps, plan, models, source, data, job.signal);
    audit = store.audits.insert({ id: randomUUID(), jobId: job.id, rerunOf: params.rerunOf, input, suiteSpecs: fileSpecs ?? [], classes, provenance, beats: data.labels.length, cellsTotal: plan.length, createdAt: provenance.startedAt });
    store.audit.append('audit.start', { id: audit.id, jobId: job.id, rerunOf: params.rerunOf, input, datasetHash: data.manifest.hash, models: provenance.models });
  }
  const auditId = audit.id;
  const startedAt = audit.provenance.startedAt;
  const done = new Set(store.audits.cells(auditId).map((c) => c.idx));
  const resumedAtCell = done.size;
  const clean = new Map(audit.clean.map((c) => [c.model, c]));
  const total = plan.length;
  const reused = new Map<string, AuditAttackResult>();
  let reusedFor = -1;
  try {
    for (const cell of plan) {
      if (done.has(cell.idx)) continue;
      const model = models[cell.model]!;
      const metrics = (d: number, n: number): AuditProgress => ({ auditId, cellsDone: done.size, cellsTotal: total, model: model.name, label: cell.label, eps: cell.eps, done: d, total: n });
      const what = `${model.name} × ${cell.label} × ε=${cell.eps}`;
      job.progress(done.size / total, `Cell ${done.size + 1}/${total}: ${what}`, metrics(0, data.labels.length));
      // An attack without an ε budget gives the same beats at every ε: crafted once per model (per run).
      const reuseKey = takesEps(cell.attack.name) ? null : JSON.stringify([cell.model, cell.attack]);
      if (reusedFor !== cell.model) {
        reused.clear();
        reusedFor = cell.model;
      }
      const cached = reuseKey === null ? undefined : reused.get(reuseKey);
      let r: AuditAttackResult;
      try {
        r = cached ?? (await deps.attack({
          model,
          ...(source ? { source } : {}),
          attack: cell.attack,
          beats: data.beats,
          labels: data.labels,
          signal: job.signal,
          onDone: (d, n) => job.progress((done.size + d / Math.max(1, n)) / total, `Cell ${done.size + 1}/${total}: ${what}: ${d}/${n} beats`, metrics(d, n)),
        }));
      } catch (err) {
        if (isCancelled(err) || job.signal.aborted || !(err instanceof Error)) throw err;
        throw new AppError(err instanceof AppError ? err.code : 'INTERNAL', `Attack ${cell.label} on ${model.name} at ε=${cell.eps} failed: ${err.message}`);
      }
      if (job.signal.aborted) throw new AppError('CANCELLED', 'Audit cancelled');
      if (reuseKey !== null) reused.set(reuseKey, r);
      const judged = reuseKey === null ? r : withinBudget(r, data.beats, data.L, classes.length, cell.eps);
      const out = cellFigures(cell, model, classes, data, judged, input.examples);
      if (!clean.has(model.name)) clean.set(model.name, out.clean);
      store.tx(() => {
        store.audits.insertCell(auditId, out.row, out.examples);
        store.audits.update(auditId, { clean: [...clean.values()] });
      });
      done.add(cell.idx);
    }
    const finishedAt = new Date().toISOString();
    store.audits.update(auditId, { status: 'succeeded', finishedAt, provenance: { ...provenance, startedAt, finishedAt } });
    store.audit.append('audit.finish', { id: auditId, cells: total, beats: data.labels.length, rerunOf: params.rerunOf });
    job.progress(1, `Audit done: ${total} cells`, { auditId, cellsDone: total, cellsTotal: total, model: null, label: null, eps: null, done: 0, total: 0 });
    return { auditId, rerunOf: params.rerunOf, beats: data.labels.length, cells: total, resumedAtCell, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    const status = isCancelled(err) || job.signal.aborted ? 'cancelled' : 'failed';
    try {
      store.audits.update(auditId, { status, finishedAt: new Date().toISOString() });
      store.audit.append(`audit.${status === 'cancelled' ? 'cancel' : 'fail'}`, { id: auditId, cellsDone: done.size, error: err instanceof Error ? err.message : String(err) });
    } catch {
      // The app closed the database on its way out: the row stays running and reads interrupted (its job's state).
    }
    throw err;
  }
}

/**
 * Each distinct attack once on one beat before the grid: an attack the engine does not implement
 * (or refuses) fails the audit at once, with its name, instead of after hours of other cells.
 */
async function preflight(deps: AuditDeps, plan: readonly PlannedCell[], models: readonly ResolvedModel[], source: ResolvedModel | undefined, data: { beats: Float32Array; labels: Int32Array; L: number }, signal: AbortSignal): Promise<void> {
  const seen = new Set<string>();
  for (const cell of plan) {
    if (seen.has(cell.attack.name)) continue;
    seen.add(cell.attack.name);
    try {
      await deps.attack({ model: models[cell.model]!, ...(source ? { source } : {}), attack: cell.attack, beats: data.beats.slice(0, data.L), labels: data.labels.slice(0, 1), signal });
    } catch (err) {
      if (isCancelled(err) || signal.aborted) throw err;
      throw new AppError('INVALID_INPUT', `Attack "${cell.attack.name}" cannot run: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

export function findAudit(store: Store, ref: string): AuditRow {
  const row = store.audits.find(ref);
  if (!row) throw new AppError('NOT_FOUND', `No audit ${ref} (see ecgatk audits)`);
  return row;
}

function summaryOf(store: Store, row: AuditRow): AuditSummary {
  const input = AuditInput.parse(row.input);
  // A process killed mid-audit leaves the row running; its job row says it was interrupted.
  const interrupted = row.status === 'running' && row.jobId !== null && store.jobs.get(row.jobId)?.state === 'interrupted';
  return {
    id: row.id,
    jobId: row.jobId,
    rerunOf: row.rerunOf,
    status: interrupted ? 'interrupted' : row.status,
    models: row.provenance.models.map((m) => m.name),
    dataset: row.provenance.dataset.name,
    suite: input.suite,
    mode: input.mode,
    eps: input.eps,
    beats: row.beats,
    cellsDone: row.cellsDone,
    cellsTotal: row.cellsTotal,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

export function listAudits(store: Store, limit: number): AuditSummary[] {
  return store.audits.list(limit).map((r) => summaryOf(store, r));
}

/**
 * Worst case per model and ε over the stored cells (only where every cell of the grid is done). Only
 * attacks held to that ε count: the paper preset's C&W runs at 10·ε and would make every worst case 0.
 */
function worstRows(row: AuditRow, cells: readonly AuditCellRow[]): WorstCase[] {
  if (row.cellsDone !== row.cellsTotal) return [];
  const groups = new Map<string, AuditCellRow[]>();
  for (const c of cells) {
    const budget = c.figures.params.eps;
    if (typeof budget === 'number' && budget > c.figures.eps * (1 + 1e-9)) continue;
    const key = JSON.stringify([c.figures.model, c.figures.eps]);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((g) => {
    const w = worstCase(g.map((c) => ({ correct: c.correct, flagged: c.flagged })));
    return { model: g[0]!.figures.model, eps: g[0]!.figures.eps, beats: w.beats, robustAccuracy: w.robustAccuracy, robustAccuracyCi95: w.ci95, defendedRate: w.defendedRate };
  });
}

export function getAudit(store: Store, ref: string): Audit {
  const row = findAudit(store, ref);
  const cells = store.audits.cells(row.id);
  return { ...summaryOf(store, row), input: row.input, classes: row.classes, clean: row.clean, cells: cells.map((c) => c.figures), worst: worstRows(row, cells), examples: store.audits.examples(row.id), provenance: row.provenance };
}

/** Differences between two values, as dotted paths; numbers equal within 1e-9. */
function diff(a: unknown, b: unknown, path: string, out: { field: string; original: unknown; rerun: unknown }[]): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(a === b || Math.abs(a - b) <= 1e-9)) out.push({ field: path, original: a, rerun: b });
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
  } else if (a !== b) out.push({ field: path, original: a, rerun: b });
}

/** A rerun against its original, cell by cell (every stored figure but the time taken), and the clean figures. */
export function compareAudits(store: Store, originalRef: string, rerunRef: string): AuditComparison {
  const a = getAudit(store, originalRef);
  const b = getAudit(store, rerunRef);
  const mismatches: AuditComparison['mismatches'] = [];
  const key = (c: { model: string; label: string; eps: number }): string => JSON.stringify([c.model, c.label, c.eps]);
  const other = new Map(b.cells.map((c) => [key(c), c]));
  for (const c of a.cells) {
    const d = other.get(key(c));
    other.delete(key(c));
    const found: { field: string; original: unknown; rerun: unknown }[] = [];
    if (!d) found.push({ field: 'cell', original: 'present', rerun: 'missing' });
    else diff({ ...c, seconds: 0 }, { ...d, seconds: 0 }, '', found);
    mismatches.push(...found.map((f) => ({ model: c.model, label: c.label, eps: c.eps, ...f })));
  }
  for (const d of other.values()) mismatches.push({ model: d.model, label: d.label, eps: d.eps, field: 'cell', original: 'missing', rerun: 'present' });
  const cleanB = new Map(b.clean.map((c) => [c.model, c]));
  for (const c of a.clean) {
    const found: { field: string; original: unknown; rerun: unknown }[] = [];
    diff(c, cleanB.get(c.model) ?? null, 'clean', found);
    mismatches.push(...found.map((f) => ({ model: c.model, label: 'clean', eps: 0, ...f })));
  }
  return { original: a.id, rerun: b.id, cells: a.cells.length, reproduced: mismatches.length === 0 && a.cells.length > 0, mismatches: mismatches.slice(0, 50) };
}
