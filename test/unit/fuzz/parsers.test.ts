// Bounded fuzzing in CI: fixed seed and count so a failure reproduces; `npm run fuzz` runs longer.
import { describe, it, expect } from 'vitest';
import { runFuzz } from '../../fuzz/cases.ts';

describe('parser fuzzing', () => {
  it('every malformed input ends in a typed error naming the file, never a crash', async () => {
    const runs = Number(process.env.ECGATK_FUZZ_RUNS ?? 150);
    const reports = await runFuzz(runs, 20261124);
    const total = reports.reduce((n, r) => n + r.runs, 0);
    console.log(`fuzz: ${total} cases (${reports.map((r) => `${r.name} ${r.runs}`).join(', ')})`);
    expect(reports.length).toBe(6);
  }, 300_000);
});
