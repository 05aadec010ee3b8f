// The audit grid and its sample: presets and files give validated specs with ε filled and a seed
// per cell, detector-aware attacks only where the crafting model has a detector, and the --limit
// sample keeps each class's share.
import { describe, it, expect } from 'vitest';
import { cellSeed, planGrid, specsAt } from '../../../src-main/audits/suite.ts';
import { stratifiedSample } from '../../../src-main/audits/sample.ts';
import { presetSuite } from '../../../src-shared/contract/index.ts';

const base = { suite: 'paper', lambdas: [0, 10], eps: [0.01, 0.02], seed: 4 };

describe('audit grid', () => {
  it('the preset at each ε; adaptive-pgd only for a detector model; seeds per cell, stable and distinct', () => {
    expect(specsAt(base, null, 0.02)).toEqual(presetSuite('paper', 0.02, [0, 10]));
    const grid = planGrid(base, null, [{ name: 'plain', detector: false }, { name: 'gan', detector: true }]);
    const perEps = presetSuite('paper', 0.01, [0, 10]).length;
    expect(grid).toHaveLength(2 * (perEps - 2) + 2 * perEps);
    expect(grid.filter((c) => c.model === 0 && c.attack.name === 'adaptive-pgd')).toEqual([]);
    expect(grid.filter((c) => c.model === 1 && c.attack.name === 'adaptive-pgd').map((c) => c.label)).toEqual(['adaptive-pgd λ=0', 'adaptive-pgd λ=10', 'adaptive-pgd λ=0', 'adaptive-pgd λ=10']);
    expect(grid.map((c) => c.idx)).toEqual(grid.map((_, i) => i));
    const pgd = grid.find((c) => c.model === 1 && c.attack.name === 'pgd' && c.eps === 0.02)!;
    expect(pgd.attack.params.seed).toBe(cellSeed(4, 'gan', 'pgd', 0.02));
    // FGSM takes no seed (its schema is strict).
    expect(grid.find((c) => c.attack.name === 'fgsm')!.attack.params).toEqual({ eps: 0.01 });
    const seeds = grid.filter((c) => c.attack.params.seed !== undefined && c.attack.params.eps !== undefined).map((c) => c.attack.params.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    // Black-box attacks have no ε: one seed per model, so every ε gets the same cell.
    const boundary = grid.filter((c) => c.attack.name === 'boundary');
    expect(boundary.map((c) => [c.model, c.eps, c.attack.params.seed])).toEqual([
      [0, 0.01, cellSeed(4, 'plain', 'boundary', null)],
      [0, 0.02, cellSeed(4, 'plain', 'boundary', null)],
      [1, 0.01, cellSeed(4, 'gan', 'boundary', null)],
      [1, 0.02, cellSeed(4, 'gan', 'boundary', null)],
    ]);
    expect(cellSeed(4, 'plain', 'boundary', null)).not.toBe(cellSeed(4, 'gan', 'boundary', null));
    expect(planGrid(base, null, [{ name: 'plain', detector: false }, { name: 'gan', detector: true }])).toEqual(grid);
  });

  it('a file suite gets ε filled where the attack takes one, keeps a given seed, and names the entry of a bad one', () => {
    const file = [{ name: 'pgd' as const, params: { alpha: 0.01, steps: 3, seed: 99 } }, { name: 'boundary' as const, params: { maxQueries: 10, steps: 5 } }];
    const grid = planGrid({ ...base, suite: '/s.json' }, file, [{ name: 'm', detector: false }]);
    expect(grid.map((c) => [c.label, c.eps, c.attack.params.eps, c.attack.params.seed])).toEqual([
      ['pgd', 0.01, 0.01, 99],
      ['boundary', 0.01, undefined, cellSeed(4, 'm', 'boundary', null)],
      ['pgd', 0.02, 0.02, 99],
      // No ε budget: the same attack at every ε (the audit crafts it once per model).
      ['boundary', 0.02, undefined, cellSeed(4, 'm', 'boundary', null)],
    ]);
    expect(() => planGrid({ ...base, suite: '/s.json' }, [{ name: 'pgd', params: { steps: 3 } }], [{ name: 'm', detector: false }])).toThrow(/suite \/s\.json: entry 1 at ε=0\.01: pgd: parameter "alpha"/);
  });

  it('--limit keeps each class its share of the sample, seeded', () => {
    const labels = [...new Array<number>(60).fill(0), ...new Array<number>(30).fill(1), ...new Array<number>(10).fill(2)];
    const s = stratifiedSample(labels, 20, 1);
    expect(s).toHaveLength(20);
    expect([0, 1, 2].map((c) => s.filter((i) => labels[i] === c).length)).toEqual([12, 6, 2]);
    expect(s).toEqual([...s].sort((a, b) => a - b));
    expect(stratifiedSample(labels, 20, 1)).toEqual(s);
    expect(stratifiedSample(labels, 20, 2)).not.toEqual(s);
    // Largest remainders: 7 of 60/30/10 → 4.2, 2.1, 0.7 → 4, 2, 1.
    expect([0, 1, 2].map((c) => stratifiedSample(labels, 7, 3).filter((i) => labels[i] === c).length)).toEqual([4, 2, 1]);
    expect(stratifiedSample(labels, 500, 1)).toHaveLength(100);
  });
});
