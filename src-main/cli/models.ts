// `ecgatk models`, `eval` and `predict`: the model registry, evaluation on a dataset, and per-beat
// classification of a record, through the typed core client.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { jobResult, type CoreClient, type Io } from './client.ts';
import type { OpInput } from '../../src-shared/contract/index.ts';

/** A folder path is passed absolute (the core may run elsewhere); a registry name as is. */
export const modelRef = (ref: string): string => (existsSync(ref) && (ref.includes('/') || ref.startsWith('.')) ? resolve(ref) : ref);
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

export async function cmdModels(api: CoreClient, args: string[], io: Io): Promise<number> {
  if (args[0] === 'default') {
    if (!args[1] || args.length > 2) {
      io.err('usage: ecgatk models default <name>');
      return 2;
    }
    const m = await api.call('models.setDefault', { name: args[1] });
    io.out(`default model: ${m.name} (${m.kind}, ${m.modelHash.slice(0, 12)})`);
    return 0;
  }
  if (args[0] === 'calibrate') return cmdCalibrate(api, args.slice(1), io);
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const list = await api.call('models.list', {});
  if (values.json) io.out(JSON.stringify(list, null, 2));
  else if (list.length === 0) io.out('no models registered (put model folders in models/ or set ECGATK_MODELS_DIR)');
  else for (const m of list) io.out(`${m.isDefault ? '*' : ' '} ${m.name.padEnd(28)} ${m.kind.padEnd(10)} ${m.classes.join(',').padEnd(10)} ${m.inputLength}@${m.samplingRate}Hz  ${m.modelHash.slice(0, 12)}  ${m.path}`);
  return 0;
}

const CALIBRATE_USAGE = 'usage: ecgatk models calibrate <name|dir> [--false-alarm-rate 0.05] [--attack-eps 0.01] [--json]';

/** Sets an ATK-GAN's attacked/clean threshold on its validation split and writes it into its card. */
async function cmdCalibrate(api: CoreClient, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'false-alarm-rate': { type: 'string' }, 'attack-eps': { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length !== 1) {
    io.err(CALIBRATE_USAGE);
    return 2;
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const r = jobResult(await api.runJob('models.calibrate', { model: modelRef(positionals[0]!), falseAlarmRate: num(values['false-alarm-rate']), attackEps: num(values['attack-eps']) }), 'models.calibrate');
  if (values.json) {
    io.out(JSON.stringify(r, null, 2));
    return 0;
  }
  io.out(`model ${r.model} (${r.modelHash.slice(0, 12)}): attacked/clean threshold set on ${r.beats} validation beats of ${r.dataset} and their FGSM ε=${r.eps} copies`);
  io.out(`threshold ${r.previousThreshold.toFixed(4)}: flags ${pct(r.previous.falseAlarmRate)} of clean beats, ${pct(r.previous.detectionRate)} of attacked copies`);
  io.out(`threshold ${r.threshold.toFixed(4)}: flags ${pct(r.falseAlarmRate)} of clean beats, ${pct(r.detectionRate)} of attacked copies (now in its card)`);
  return 0;
}

export async function cmdEval(api: CoreClient, args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { model: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' }, 'attack-eps': { type: 'string' }, split: { type: 'string' } } });
  if (!values.model || !values.dataset) {
    io.err('usage: ecgatk eval --model <name|dir> --dataset <id|name> [--split test|validation] [--attack-eps 0.01] [--json]');
    return 2;
  }
  const input = { model: modelRef(values.model), dataset: values.dataset, attackEps: values['attack-eps'] === undefined ? undefined : Number(values['attack-eps']), split: values.split };
  const r = jobResult(await api.runJob('models.evaluate', input as OpInput<'models.evaluate'>), 'models.evaluate');
  if (values.json) {
    io.out(JSON.stringify(r, null, 2));
    return 0;
  }
  io.out(`model ${r.model} (${r.modelHash.slice(0, 12)}) on dataset ${r.dataset} (${r.datasetHash.slice(0, 12)}): ${r.beats} ${r.split} beats`);
  io.out(`accuracy ${pct(r.accuracy)} (95% CI ${pct(r.accuracyCi95.low)}–${pct(r.accuracyCi95.high)}), macro-F1 ${r.macroF1.toFixed(4)}`);
  io.out(`class  precision  recall     F1      support`);
  for (const c of r.classes) {
    const s = r.perClass[c]!;
    io.out(`${c.padEnd(6)} ${s.precision.toFixed(4).padStart(9)} ${s.recall.toFixed(4).padStart(7)} ${s.f1.toFixed(4).padStart(7)} ${String(s.support).padStart(9)}`);
  }
  io.out('confusion (rows: reference, columns: predicted)');
  io.out(`       ${r.classes.map((c) => c.padStart(7)).join('')}`);
  r.confusion.forEach((row, i) => io.out(`${r.classes[i]!.padEnd(7)}${row.map((v) => String(v).padStart(7)).join('')}`));
  if (r.attackDetection) io.out(`attacked/clean head (threshold ${r.attackDetection.threshold.toFixed(4)}): flags ${pct(r.attackDetection.detectionRate)} of FGSM ε=${r.attackDetection.eps} copies, ${pct(r.attackDetection.falseAlarmRate)} of clean beats`);
  io.out(`${r.beatsPerSecond.toFixed(0)} beats/s on ${r.workers} worker(s)`);
  return 0;
}

export async function cmdPredict(api: CoreClient, args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { model: { type: 'string' }, record: { type: 'string' }, json: { type: 'boolean' } } });
  if (!values.record) {
    io.err('usage: ecgatk predict [--model <name|dir>] --record <name|id> [--json]');
    return 2;
  }
  const r = jobResult(await api.runJob('records.classify', { record: values.record, model: values.model === undefined ? undefined : modelRef(values.model) }), 'records.classify');
  const p = await api.call('records.predictions', { record: String(r.recordId) });
  if (values.json) {
    io.out(JSON.stringify(p.predictions));
    return 0;
  }
  io.out(`record ${values.record}: ${r.beats} beats classified by ${r.model} (${r.modelHash.slice(0, 12)}), ${r.beatsPerSecond.toFixed(0)} beats/s on ${r.workers} worker(s)`);
  if (p.summary) {
    io.out(`agreement with the reference: ${pct(p.summary.accuracy)}, ${p.summary.mismatches} mismatches, ${p.summary.flaggedAttacked} beats flagged attacked`);
    io.out(`       ${p.classes.map((c) => c.padStart(7)).join('')}`);
    p.summary.confusion.forEach((row, i) => io.out(`${p.classes[i]!.padEnd(7)}${row.map((v) => String(v).padStart(7)).join('')}`));
  }
  return 0;
}
