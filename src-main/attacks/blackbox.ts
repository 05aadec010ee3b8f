// What the decision-based attacks (Boundary, HopSkipJump) share. They see the model only through a
// LabelOracle: find a misclassified starting beat, bisect towards the clean beat, and verify the
// result once more at the end. Work is batched over beats: one oracle call per round for all of them.
import type { ModelHandle } from '../models/handle.ts';
import { checkCancelled, checkInputs, clip01, gaussian, labelOracle, outcomesOf, type AttackContext, type AttackResult, type LabelOracle } from './attack.ts';

/** The attack's running state for N beats of L samples. */
export interface BlackBoxState {
  oracle: LabelOracle;
  beats: Float32Array;
  labels: Int32Array;
  n: number;
  L: number;
  /** Queries each beat may spend before the final check (maxQueries − 1). */
  budget: number;
  /** Current adversarial beat of each beat (the clean beat where none was found). */
  adv: Float32Array;
  /** 1 where `adv` is a misclassified beat the oracle confirmed. */
  found: Uint8Array;
  ctx: AttackContext;
}

export function canAfford(s: BlackBoxState, i: number, queries: number): boolean {
  return s.oracle.queries[i]! + queries <= s.budget;
}

/** Labels of candidate rows (each charged to its owner beat): true where a candidate is adversarial for its owner. */
export async function isAdversarial(s: BlackBoxState, rows: Float32Array, owners: readonly number[]): Promise<boolean[]> {
  checkCancelled(s.ctx);
  if (owners.length === 0) return [];
  const predicted = await s.oracle.predictLabels(rows, owners);
  return owners.map((i, k) => predicted[k] !== s.labels[i]);
}

export function l2Distance(a: Float32Array, b: Float32Array, off: number, L: number): number {
  let sq = 0;
  for (let t = off; t < off + L; t++) sq += (a[t]! - b[t]!) ** 2;
  return Math.sqrt(sq);
}

export function linfDistance(a: Float32Array, b: Float32Array, off: number, L: number): number {
  let m = 0;
  for (let t = off; t < off + L; t++) m = Math.max(m, Math.abs(a[t]! - b[t]!));
  return m;
}

/** Starting candidates per beat and round, and rounds: a uniform random beat or the beat under growing Gaussian noise. */
const START_CANDIDATES = 5;
const START_ROUNDS = 8;
const START_NOISE = [0.1, 0.3, 1];

/**
 * Asks the oracle for the clean labels (one query per beat; a beat it already misclassifies is left as
 * it is), then searches seeded random starts for a misclassified beat and bisects along the line back to
 * the clean beat. A beat with no misclassified start stays unchanged (`found` 0).
 */
export async function initialState(oracle: LabelOracle, beats: Float32Array, labels: Int32Array, maxQueries: number, rand: () => number, ctx: AttackContext): Promise<BlackBoxState> {
  const n = labels.length;
  const L = oracle.length;
  const s: BlackBoxState = { oracle, beats, labels, n, L, budget: maxQueries - 1, adv: Float32Array.from(beats), found: new Uint8Array(n), ctx };
  const all = Array.from({ length: n }, (_, i) => i);
  const cleanWrong = await isAdversarial(s, beats, all);
  let searching = all.filter((i) => !cleanWrong[i]);
  const start = new Float32Array(beats.length);
  for (let round = 0; round < START_ROUNDS && searching.length; round++) {
    const owners = searching.flatMap((i) => (canAfford(s, i, START_CANDIDATES) ? Array<number>(START_CANDIDATES).fill(i) : []));
    const rows = new Float32Array(owners.length * L);
    owners.forEach((i, k) => {
      const kind = (round * START_CANDIDATES + (k % START_CANDIDATES)) % (START_NOISE.length + 1);
      for (let t = 0; t < L; t++) rows[k * L + t] = kind === START_NOISE.length ? rand() : clip01(beats[i * L + t]! + START_NOISE[kind]! * gaussian(rand));
    });
    const hit = await isAdversarial(s, rows, owners);
    owners.forEach((i, k) => {
      if (hit[k] && !s.found[i]) {
        s.found[i] = 1;
        start.set(rows.subarray(k * L, (k + 1) * L), i * L);
      }
    });
    searching = searching.filter((i) => !s.found[i] && canAfford(s, i, START_CANDIDATES));
  }
  const found = all.filter((i) => s.found[i]);
  const hi = await bisect(s, found, (i, t, out, off) => {
    for (let u = 0; u < L; u++) out[off + u] = beats[i * L + u]! + t * (start[i * L + u]! - beats[i * L + u]!);
  }, new Float64Array(n).fill(1), new Float64Array(n).fill(1e-3));
  for (const i of found) for (let u = 0; u < L; u++) s.adv[i * L + u] = beats[i * L + u]! + hi[i]! * (start[i * L + u]! - beats[i * L + u]!);
  return s;
}

/**
 * Per beat, bisects t ∈ [0, hi] where point(t) is adversarial at t = hi, until the interval is below
 * `tolerance` or the beat's budget is spent; one oracle call per round. Returns the adversarial end.
 */
export async function bisect(
  s: BlackBoxState,
  which: readonly number[],
  point: (i: number, t: number, out: Float32Array, off: number) => void,
  hi: Float64Array,
  tolerance: Float64Array,
): Promise<Float64Array> {
  const lo = new Float64Array(s.n);
  let open = which.filter((i) => hi[i]! - lo[i]! > tolerance[i]!);
  while (open.length) {
    open = open.filter((i) => canAfford(s, i, 1));
    const rows = new Float32Array(open.length * s.L);
    const mid = open.map((i) => (lo[i]! + hi[i]!) / 2);
    open.forEach((i, k) => point(i, mid[k]!, rows, k * s.L));
    const hit = await isAdversarial(s, rows, open);
    open.forEach((i, k) => {
      if (hit[k]) hi[i] = mid[k]!;
      else lo[i] = mid[k]!;
    });
    open = open.filter((i) => hi[i]! - lo[i]! > tolerance[i]!);
  }
  return hi;
}

/** Checks every adversarial beat with the oracle once more (the last query of its budget); one it no longer misclassifies goes back to clean. */
export async function verifiedAdversarial(s: BlackBoxState): Promise<Float32Array> {
  const owners = Array.from({ length: s.n }, (_, i) => i).filter((i) => s.found[i]);
  const rows = new Float32Array(owners.length * s.L);
  owners.forEach((i, k) => rows.set(s.adv.subarray(i * s.L, (i + 1) * s.L), k * s.L));
  const hit = await isAdversarial(s, rows, owners);
  owners.forEach((i, k) => {
    if (!hit[k]) revert(s, i);
  });
  return s.adv;
}

function revert(s: BlackBoxState, i: number): void {
  s.found[i] = 0;
  s.adv.set(s.beats.subarray(i * s.L, (i + 1) * s.L), i * s.L);
}

/** Runs a decision-based attack on a label-only view of the model, then scores it with the full model. */
export async function runBlackBox(
  model: ModelHandle,
  beats: Float32Array,
  labels: Int32Array,
  attack: (oracle: LabelOracle) => Promise<Float32Array>,
): Promise<AttackResult> {
  const n = checkInputs(model, beats, labels);
  const oracle = labelOracle(model, n);
  const adversarial = await attack(oracle);
  return { adversarial, outcomes: await outcomesOf(model, beats, adversarial, labels), queries: Int32Array.from(oracle.queries) };
}
