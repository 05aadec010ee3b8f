// The Attack simulator's engine: one attack on one beat of a record, the beat cut exactly as the
// model's dataset cut it, run on the compute pool (progress and cancel between models), with the
// numbers the screen and `ecgatk attack` show. A second model may be attacked the same way.
import { AppError } from '../../src-shared/errors.ts';
import { parseAttack, type AttackBeatResult, type AttackableBeat, type JobResult, type RecordSummary, type SimulatorBeat } from '../../src-shared/contract/index.ts';
import type { z } from 'zod';
import type { AttackBeatInput } from '../../src-shared/contract/index.ts';
import type { AppContext } from './context.ts';
import type { JobContext } from '../jobs/jobs.ts';
import { resolveModel, type ResolvedModel } from '../models/registry.ts';
import { argmax, cutBeats, infer, modelLead, windowForModel } from './classify.ts';
import { attackOnPool } from './attack-runner.ts';
import { beatPerturbation } from '../metrics/index.ts';
import { attackThreshold } from '../models/card.ts';

/** Reference-annotated beats of a record, or the QRS detector's beats where it has none. */
export function attackableBeats(ctx: AppContext, rec: RecordSummary): AttackableBeat[] {
  const all = ctx.catalog.annotationsBetween(rec.id, 0, rec.numFrames + 1, Number.MAX_SAFE_INTEGER);
  const reference = all.filter((a) => a.source === 'reference' && a.aami !== null);
  const beats = reference.length ? reference : all.filter((a) => a.source === 'detector');
  return beats.map((a) => ({ sample: a.sample, symbol: a.symbol, aami: a.aami }));
}

/** Physical unit → mV factor of a lead; null where the unit is not a voltage (the span has no meaning in mV). */
function mvPerPhysicalUnit(units: string): number | null {
  const u = units.trim().toLowerCase();
  return u === 'mv' ? 1 : u === 'uv' || u === 'µv' || u === 'μv' ? 1e-3 : u === 'v' ? 1e3 : null;
}

interface Subject {
  rec: RecordSummary;
  beats: AttackableBeat[];
  /** Index of the attacked beat in `beats`. */
  at: number;
}

function findSubject(ctx: AppContext, recordRef: string, sample: number): Subject {
  const rec = ctx.catalog.resolve(recordRef);
  const beats = attackableBeats(ctx, rec);
  if (beats.length === 0) throw new AppError('INVALID_INPUT', `Record ${rec.name} has no annotated or detected beats to attack`);
  const at = beats.findIndex((b) => b.sample === sample);
  if (at < 0) {
    const near = beats.reduce((best, b) => (Math.abs(b.sample - sample) < Math.abs(best.sample - sample) ? b : best));
    throw new AppError('INVALID_INPUT', `beat: sample ${sample} is not an annotated or detected beat of record ${rec.name} (nearest beat: ${near.sample})`);
  }
  return { rec, beats, at };
}

/** The beat as model m takes it (cut like its dataset), and how many mV one normalised unit is for it. */
async function modelBeat(ctx: AppContext, s: Subject, m: ResolvedModel): Promise<{ clean: Float32Array; mvPerUnit: number | null }> {
  const spec = windowForModel(m);
  // The same window unnormalised and untruncated: its span is what one normalised unit was in mV.
  const [cut, raw] = await cutBeats(ctx, s.rec.id, s.beats.map((b) => b.sample), [spec, { ...spec, normalise: 'none', truncateRR: null }]);
  const k = cut!.index.indexOf(s.at);
  const kr = raw!.index.indexOf(s.at);
  if (k < 0 || kr < 0) throw new AppError('INVALID_INPUT', `beat: the ${spec.length}-sample window of model ${m.name} at sample ${s.beats[s.at]!.sample} of record ${s.rec.name} crosses a gap in the signal`);
  const L = spec.length;
  const rawBeat = raw!.values.subarray(kr * L, (kr + 1) * L);
  const unit = mvPerPhysicalUnit(s.rec.leads[modelLead(s.rec)]!.units);
  return { clean: cut!.values.slice(k * L, (k + 1) * L), mvPerUnit: unit === null ? null : (Math.max(...rawBeat) - Math.min(...rawBeat)) * unit };
}

/** `attacks.beatScale`: mV per normalised unit of one beat for a model, so ε can be shown in mV before a run. */
export async function beatScale(ctx: AppContext, input: { model?: string; record: string; beat: number }): Promise<{ model: string; mvPerUnit: number | null; length: number; samplingRate: number }> {
  const s = findSubject(ctx, input.record, input.beat);
  const m = await resolveModel(ctx.store, input.model);
  const { mvPerUnit } = await modelBeat(ctx, s, m);
  return { model: m.name, mvPerUnit, length: m.card.inputLength, samplingRate: m.card.samplingRate };
}

async function attackOneModel(ctx: AppContext, s: Subject, m: ResolvedModel, attack: { name: AttackBeatResult['attack']; params: Record<string, unknown> }, signal: AbortSignal): Promise<SimulatorBeat> {
  const t0 = performance.now();
  const { clean, mvPerUnit } = await modelBeat(ctx, s, m);
  const classes = m.card.classes;
  const reference = s.beats[s.at]!.aami;
  // Untargeted attacks push away from the true class: the reference where the model knows it, else its own clean prediction.
  let label = reference === null ? -1 : classes.indexOf(reference);
  if (label < 0) label = argmax((await infer(ctx, m, clean, signal, () => undefined)).probabilities, classes.length, 0);
  const r = await attackOnPool(ctx, { model: m, attack, beats: clean, labels: Int32Array.of(label), signal });
  const verdict = (p: Float32Array, a: Float32Array | null): AttackBeatResult['before'] => ({
    predicted: classes[argmax(p, classes.length, 0)]!,
    probabilities: Object.fromEntries(classes.map((c, i) => [c, p[i]!])),
    attacked: a ? a[0]! : null,
  });
  return {
    model: m.name,
    modelHash: m.modelHash,
    record: s.rec.name,
    recordId: s.rec.id,
    beat: s.beats[s.at]!.sample,
    reference,
    attack: attack.name,
    clean: Array.from(clean),
    adversarial: Array.from(r.adversarial),
    perturbation: beatPerturbation(clean, r.adversarial),
    before: verdict(r.cleanProbabilities, r.cleanAttacked),
    after: verdict(r.adversarialProbabilities, r.adversarialAttacked),
    queries: r.queries ? r.queries[0]! : null,
    parameters: attack.params,
    mvPerUnit,
    ...(r.cleanAttacked ? { attackThreshold: attackThreshold(m.card) } : {}),
    seconds: (performance.now() - t0) / 1000,
    samplingRate: m.card.samplingRate,
  };
}

/** The `attacks.beat` job. Everything is checked before the pool is asked for anything. */
export async function attackBeat(ctx: AppContext, input: z.output<typeof AttackBeatInput>, job: JobContext<'attacks.beat'>): Promise<JobResult<'attacks.beat'>> {
  let attack: ReturnType<typeof parseAttack>;
  try {
    attack = parseAttack(input.attack);
  } catch (err) {
    throw new AppError('INVALID_INPUT', err instanceof Error ? err.message : String(err));
  }
  const s = findSubject(ctx, input.record, input.beat);
  const models = [await resolveModel(ctx.store, input.model), ...(input.compare === undefined ? [] : [await resolveModel(ctx.store, input.compare)])];
  const results: SimulatorBeat[] = [];
  for (const [i, m] of models.entries()) {
    job.progress(i / models.length, `${attack.name} on beat ${input.beat} of ${s.rec.name} against ${m.name}`, { stage: m.name, done: i, total: models.length });
    results.push(await attackOneModel(ctx, s, m, attack, job.signal));
    job.throwIfCancelled();
  }
  return { ...results[0]!, compare: results[1] ?? null };
}
