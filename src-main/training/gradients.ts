// Shard gradients and their average, free of TensorFlow.js so the coordinator (the core worker)
// can average what the pool's workers computed.
import type { WeightMap } from '../models/weights.ts';

export interface GradientResult {
  grads: WeightMap;
  losses: Record<string, number>;
  /** Beats in the batch: the weight of this result when averaging over shards. */
  count: number;
}

/** Count-weighted mean of shard gradients: equals the full-batch gradient for per-beat-mean losses. */
export function averageGradients(parts: readonly GradientResult[]): GradientResult {
  if (parts.length === 0) throw new Error('averageGradients: no gradients');
  const total = parts.reduce((s, p) => s + p.count, 0);
  const grads: WeightMap = new Map();
  for (const p of parts) {
    const w = p.count / total;
    for (const [k, g] of p.grads) {
      let acc = grads.get(k);
      if (!acc) grads.set(k, (acc = new Float32Array(g.length)));
      for (let i = 0; i < g.length; i++) acc[i]! += w * g[i]!;
    }
  }
  const losses: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.losses)) losses[k] = (losses[k] ?? 0) + (v * p.count) / total;
  return { grads, losses, count: total };
}
