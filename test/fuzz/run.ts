// `npm run fuzz [-- RUNS [SEED]]`: the long fuzz run (default 5000 cases per parser, random seed).
import { runFuzz } from './cases.ts';

const runs = Number(process.argv[2] ?? 5000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
console.log(`fuzzing with ${runs} runs per parser, seed ${seed}`);
const t0 = performance.now();
const reports = await runFuzz(runs, seed);
for (const r of reports) console.log(`  ${r.name}: ${r.runs} cases passed`);
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
