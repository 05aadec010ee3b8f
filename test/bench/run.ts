// `npm run bench`: speed and memory figures, printed for the closing notes. Never asserted in tests.
import { benchCompute, benchConvKernels } from './compute.ts';
import { benchData } from './data.ts';
import { benchPool } from './peak.ts';
import { benchModels } from './models.ts';
import { benchTraining } from './training.ts';
import { benchViewer } from './viewer.ts';
import { benchInference } from './inference.ts';
import { benchAttacks } from './attacks.ts';

const log = (line: string): void => console.log(`  ${line}`);
const sections: [string, (log: (l: string) => void) => Promise<void>][] = [
  ['compute', async (log) => {
    await benchCompute(log);
    await benchConvKernels(log);
  }],
  ['pool', benchPool],
  ['models', benchModels],
  ['inference', benchInference],
  ['attacks', benchAttacks],
  ['training', benchTraining],
  ['data', benchData],
  ['viewer', benchViewer],
];
const only = process.argv.slice(2);

for (const [name, fn] of sections) {
  if (only.length && !only.includes(name)) continue;
  console.log(`${name}:`);
  const t0 = performance.now();
  await fn(log);
  log(`(section took ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB)`);
}
