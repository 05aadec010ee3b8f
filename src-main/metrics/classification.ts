// Classification metrics as plain functions over integer labels (no TensorFlow.js), so the CLI,
// the app and reports compute them the same way.

/** counts[t][p]: beats of true class t predicted as p. */
export type ConfusionMatrix = number[][];

export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new Error(`confusionMatrix: ${truth.length} labels but ${predicted.length} predictions`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t < 0 || t >= classes || p < 0 || p >= classes) throw new Error(`confusionMatrix: label ${t} or prediction ${p} outside 0..${classes - 1}`);
    m[t]![p]! += 1;
  }
  return m;
}

export const total = (m: ConfusionMatrix): number => m.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);

export function accuracy(m: ConfusionMatrix): number {
  const n = total(m);
  return n === 0 ? 0 : m.reduce((s, row, i) => s + row[i]!, 0) / n;
}

export interface ClassScores {
  precision: number;
  /** Recall = sensitivity. */
  recall: number;
  f1: number;
  support: number;
}

/** Per-class precision, recall, F1 and support; a ratio with an empty denominator counts as 0 (as scikit-learn does). */
export function perClass(m: ConfusionMatrix): ClassScores[] {
  return m.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = m.reduce((s, r) => s + r[c]!, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
}

/** Unweighted mean F1 over the classes that occur in the truth (absent classes would only add zeros). */
export function macroF1(m: ConfusionMatrix): number {
  const present = perClass(m).filter((s) => s.support > 0);
  return present.length === 0 ? 0 : present.reduce((a, s) => a + s.f1, 0) / present.length;
}

/** Sensitivity (recall) of one class: the figure inter-patient literature quotes for S and V. */
export function sensitivity(m: ConfusionMatrix, c: number): number {
  return perClass(m)[c]!.recall;
}

/** Wilson score interval for a proportion of successes out of n (z = 1.96 for 95%). */
export function wilson(successes: number, n: number, z = 1.959963984540054): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
