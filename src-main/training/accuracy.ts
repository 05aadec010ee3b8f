// The few classification figures training needs (validation, best model, card): accuracy and
// per-class precision/recall from predicted and true labels. The full metrics live in metrics/.
export function accuracy(predicted: Int32Array, truth: Int32Array): number | null {
  if (truth.length === 0) return null;
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) ok++;
  return ok / truth.length;
}

/** accuracy, and recall/precision per class (named), for a model card's metrics. */
export function classFigures(predicted: Int32Array, truth: Int32Array, classes: readonly string[], prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  const acc = accuracy(predicted, truth);
  if (acc === null) return out;
  out[`${prefix}.accuracy`] = acc;
  classes.forEach((name, c) => {
    let tp = 0;
    let support = 0;
    let called = 0;
    for (let i = 0; i < truth.length; i++) {
      if (truth[i] === c) support++;
      if (predicted[i] === c) called++;
      if (truth[i] === c && predicted[i] === c) tp++;
    }
    out[`${prefix}.support.${name}`] = support;
    if (support > 0) out[`${prefix}.recall.${name}`] = tp / support;
    if (called > 0) out[`${prefix}.precision.${name}`] = tp / called;
  });
  return out;
}
