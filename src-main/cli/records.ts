// CLI commands of the data layer: import, records, samples, annotations, dataset. Each goes
// through the typed core client, like the app.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { rdannLine, rdsampLine } from '../signals/wfdb/text.ts';
import { INVALID } from '../signals/wfdb/record.ts';
import { MAX_SAMPLE_FRAMES, type ImportItem, type RecordSummary } from '../../src-shared/contract/index.ts';
import { jobResult, type CoreClient, type Io } from './client.ts';
import { parsePosition } from './time.ts';

/** Absolute paths: the services run with another working folder in the app. */
const absolute = (paths: string[]): string[] => paths.map((p) => resolve(p));

function printImport(items: ImportItem[], io: Io, json: boolean, seconds: number): number {
  if (json) io.out(JSON.stringify(items, null, 2));
  else for (const it of items) io.out(`${it.status.padEnd(9)} ${it.name ?? ''}${it.error ? `  — ${it.error}` : ''}`);
  const failed = items.filter((i) => i.status === 'failed').length;
  io.err(`${items.length - failed} of ${items.length} files imported or already current, ${failed} failed (${seconds.toFixed(1)} s)`);
  return failed > 0 ? 1 : 0;
}

export async function cmdImport(api: CoreClient, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'no-deidentify': { type: 'boolean' }, annotator: { type: 'string' }, frequency: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length === 0) {
    io.err('usage: ecgatk import <file-or-folder>… [--no-deidentify] [--annotator atr] [--frequency HZ (signal CSVs without a time column)] [--json]');
    return 2;
  }
  const t0 = performance.now();
  const status = await api.runJob('records.import', {
    paths: absolute(positionals),
    deidentify: values['no-deidentify'] ? false : undefined,
    annotator: values.annotator,
    csvFrequency: values.frequency === undefined ? undefined : Number(values.frequency),
  });
  return printImport(jobResult(status, 'records.import'), io, values.json ?? false, (performance.now() - t0) / 1000);
}

export async function cmdRecords(api: CoreClient, args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const list = await api.call('records.list', {});
  if (values.json) {
    io.out(JSON.stringify(list, null, 2));
    return 0;
  }
  io.out(`${'id'.padStart(4)}  ${'name'.padEnd(18)} ${'format'.padEnd(6)} ${'duration'.padStart(9)}  ${'N'.padStart(6)} ${'S'.padStart(5)} ${'V'.padStart(5)} ${'F'.padStart(4)} ${'Q'.padStart(4)}  ${'leads'.padEnd(24)} folder`);
  for (const r of list) {
    const c = r.classCounts;
    io.out(
      `${String(r.id).padStart(4)}  ${r.name.padEnd(18)} ${r.format.padEnd(6)} ${`${r.durationSeconds.toFixed(1)} s`.padStart(9)}  ${String(c.N).padStart(6)} ${String(c.S).padStart(5)} ${String(c.V).padStart(5)} ${String(c.F).padStart(4)} ${String(c.Q).padStart(4)}  ${r.leads.map((l) => l.name).join(', ').padEnd(24)} ${r.folder}`,
    );
  }
  return 0;
}

/** A record argument: an id, a name (if only one record has it), folder/name, or a .hea path (imported first). */
async function resolveRecord(api: CoreClient, ref: string): Promise<RecordSummary> {
  const file = /\.(hea|edf|csv)$/i.test(ref) ? ref : existsSync(`${ref}.hea`) ? `${ref}.hea` : null;
  if (file) {
    const items = jobResult(await api.runJob('records.import', { paths: absolute([file]) }), 'records.import');
    const it = items[0];
    if (!it || it.recordId === null) throw new Error(it?.error ?? `${ref}: could not be read`);
    return api.call('records.get', { id: it.recordId });
  }
  return api.call('records.resolve', { ref });
}

export async function cmdSamples(api: CoreClient, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { from: { type: 'string', short: 'f' }, to: { type: 'string', short: 't' }, signals: { type: 'string', short: 's' }, physical: { type: 'boolean', short: 'p' } } });
  if (positionals.length !== 1) {
    io.err('usage: ecgatk samples <record> [--from TIME] [--to TIME] [--signals i,j] [--physical]\n  TIME is like rdsamp\'s: ss, mm:ss, hh:mm:ss.sss, or a sample number s12345; --to e is the end');
    return 2;
  }
  const rec = await resolveRecord(api, positionals[0]!);
  const from = values.from === undefined ? 0 : parsePosition(values.from, rec.frequency, '--from', rec.numFrames);
  const to = values.to === undefined ? rec.numFrames : parsePosition(values.to, rec.frequency, '--to', rec.numFrames);
  if (to <= from) throw new Error(`--to (${to}) must come after --from (${from})`);
  const signals = values.signals?.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 0) throw new Error(`--signals: "${s}" is not a signal number`);
    return n;
  });
  const physical = values.physical ?? false;
  for (let a = from; a < to; a += MAX_SAMPLE_FRAMES) {
    const w = await api.call('records.samples', { id: rec.id, from: a, to: Math.min(to, a + MAX_SAMPLE_FRAMES), signals, physical });
    const n = w.to - w.from;
    if (n <= 0) break; // like rdsamp, stop where the signal files end even if the header promises more
    const lines = new Array<string>(n);
    for (let t = 0; t < n; t++) lines[t] = rdsampLine(w.columns.map((c) => c[t] ?? (physical ? NaN : INVALID)), physical);
    io.write(lines.join('\n') + '\n');
    if (w.to < Math.min(to, a + MAX_SAMPLE_FRAMES)) break;
  }
  return 0;
}

export async function cmdAnnotations(api: CoreClient, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { annotator: { type: 'string', short: 'a' } } });
  if (positionals.length !== 1) {
    io.err('usage: ecgatk annotations <record> [--annotator atr]');
    return 2;
  }
  const rec = await resolveRecord(api, positionals[0]!);
  const list = await api.call('records.annotations', { id: rec.id, from: 0, to: Number.MAX_SAFE_INTEGER, annotator: values.annotator });
  const base = { time: rec.startTime, date: rec.startDate };
  io.write(list.map((a) => rdannLine({ ...a, code: 0 }, rec.frequency, base)).join('\n') + (list.length ? '\n' : ''));
  return 0;
}

export async function cmdDataset(api: CoreClient, args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
    const list = await api.call('datasets.list', {});
    if (values.json) io.out(JSON.stringify(list, null, 2));
    else for (const d of list) io.out(`${d.name.padEnd(28)} ${String(d.beats).padStart(7)} beats × ${d.beatLength}  ${d.params.split.padEnd(12)} train ${JSON.stringify(d.counts.train)} test ${JSON.stringify(d.counts.test)}  ${d.hash.slice(0, 12)}`);
    return 0;
  }
  const describe = async (id: string, extra: boolean): Promise<void> => {
    const m = (await api.call('datasets.list', {})).find((d) => d.id === id);
    if (!m) return;
    io.out(`dataset ${m.name} (${m.id}): ${m.beats} beats of ${m.beatLength} samples at ${m.params.window.frequency} Hz, ${m.classes.length} classes, split ${m.params.split} (${m.classes.join(', ')})`);
    io.out(`  train ${JSON.stringify(m.counts.train)}`);
    io.out(`  test  ${JSON.stringify(m.counts.test)}`);
    if (extra) io.out(`  reference annotations ${JSON.stringify(m.counts.reference)} (beats too close to a record's ends for the window are left out)`);
    io.out(`  class weights ${JSON.stringify(Object.fromEntries(Object.entries(m.classWeights).map(([k, v]) => [k, Number(v.toFixed(4))])))}`);
    io.out(`  hash ${m.hash}`);
  };
  if (sub === 'import-csv') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { name: { type: 'string' }, labels: { type: 'string' }, frequency: { type: 'string' }, seed: { type: 'string' }, 'test-fraction': { type: 'string' }, 'class-file': { type: 'string', multiple: true } },
    });
    const classFiles = values['class-file']?.map((spec) => {
      const eq = spec.indexOf('=');
      if (eq <= 0) throw new Error(`--class-file: "${spec}" should be CLASS=FILE, e.g. normal=ptbdb_normal.csv`);
      return { label: spec.slice(0, eq), path: resolve(spec.slice(eq + 1)) };
    });
    if (!values.name || (classFiles ? positionals.length !== 0 : positionals.length < 1 || positionals.length > 2)) {
      io.err(
        'usage: ecgatk dataset import-csv <train.csv> [<test.csv>] --name NAME [--labels N,S,V,F,Q] [--frequency 125] [--seed 1] [--test-fraction 0.2]\n' +
          '       ecgatk dataset import-csv --class-file normal=ptbdb_normal.csv --class-file abnormal=ptbdb_abnormal.csv --name ptb [--seed 1] [--test-fraction 0.2]',
      );
      return 2;
    }
    const [train, test] = absolute(positionals);
    const status = await api.runJob('datasets.importCsv', {
      name: values.name,
      train,
      test,
      classFiles,
      labels: values.labels?.split(','),
      frequency: values.frequency === undefined ? undefined : Number(values.frequency),
      seed: values.seed === undefined ? undefined : Number(values.seed),
      testFraction: values['test-fraction'] === undefined ? undefined : Number(values['test-fraction']),
    });
    await describe(jobResult(status, 'datasets.importCsv').id, false);
    return 0;
  }
  if (sub !== 'build') {
    io.err('usage: ecgatk dataset build <records-folder-or-files>… --name NAME [--preset paper|benchmark] [--classes 4|5] [--split random|interpatient] [--test-fraction 0.2] [--seed 1] [--lead MLII]\n       ecgatk dataset import-csv <train.csv> [<test.csv>] --name NAME [--labels N,S,V,F,Q]\n       ecgatk dataset import-csv --class-file CLASS=FILE … --name NAME\n       ecgatk dataset list [--json]');
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { name: { type: 'string' }, preset: { type: 'string' }, classes: { type: 'string' }, split: { type: 'string' }, 'test-fraction': { type: 'string' }, seed: { type: 'string' }, lead: { type: 'string' } },
  });
  if (!values.name || positionals.length === 0) {
    io.err('dataset build needs --name and at least one records folder or file');
    return 2;
  }
  // Import (a no-op for records already current) so the dataset is built from catalogued, hashed files.
  const items = jobResult(await api.runJob('records.import', { paths: absolute(positionals) }), 'records.import');
  for (const f of items.filter((i) => i.status === 'failed')) io.err(`skipped ${f.path}: ${f.error}`);
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const status = await api.runJob('datasets.build', {
    name: values.name,
    recordIds: items.filter((i) => i.recordId !== null).map((i) => i.recordId!),
    // Values go to the contract as given; its schema names what is wrong, as --flags.
    preset: values.preset as 'paper' | undefined,
    classes: num(values.classes) as 4 | undefined,
    split: values.split as 'random' | undefined,
    testFraction: num(values['test-fraction']),
    seed: num(values.seed),
    lead: values.lead,
  });
  await describe(jobResult(status, 'datasets.build').id, true);
  return 0;
}
