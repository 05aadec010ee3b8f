// A seeded sample of beats stratified by class: each class keeps its share of the limit (largest
// remainders get the leftover places), beats picked by a seeded shuffle, returned in their order.
import { mulberry32 } from '../common/random.ts';

export function stratifiedSample(labels: ArrayLike<number>, limit: number, seed: number): number[] {
  const n = labels.length;
  if (limit >= n) return Array.from({ length: n }, (_, i) => i);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(labels[i]!);
    if (list) list.push(i);
    else byClass.set(labels[i]!, [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((c) => (limit * byClass.get(c)!.length) / n);
  const quota = exact.map(Math.floor);
  let left = limit - quota.reduce((a, b) => a + b, 0);
  for (const k of classes.map((_, k) => k).sort((a, b) => exact[b]! - quota[b]! - (exact[a]! - quota[a]!) || a - b)) {
    if (left-- <= 0) break;
    quota[k]! += 1;
  }
  const rand = mulberry32(seed);
  const picked: number[] = [];
  classes.forEach((c, k) => {
    const idx = [...byClass.get(c)!];
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    picked.push(...idx.slice(0, quota[k]));
  });
  return picked.sort((a, b) => a - b);
}
