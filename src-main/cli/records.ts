// CLI commands of the data layer: import, records, samples, annotations, dataset.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AppContext } from '../app/context.ts';
import { importPaths } from '../records/import.ts';
import { availableFrames, openWfdbRecord, readWfdbWindow, INVALID } from '../signals/wfdb/record.ts';
import { readAnnotations } from '../signals/wfdb/annotations.ts';
import { rdannLine, rdsampLine } from '../signals/wfdb/text.ts';
import { buildContextOf, buildDataset, listDatasets, type SplitKind } from '../datasets/build.ts';
import { importBeatTables } from '../datasets/table.ts';
import { fail } from '../signals/errors.ts';
import type { BeatPreset } from '../beats/segment.ts';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  write: (s: string) => void;
}

function progressLine(io: Io): (done: number, total: number, what: string) => void {
  let last = 0;
  return (done, total, what) => {
    const now = Date.now();
    if (now - last < 200 && done < total) return;
    last = now;
    io.err(`[${done}/${total}] ${what}`);
  };
}

export async function cmdImport(ctx: AppContext, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'no-deidentify': { type: 'boolean' }, annotator: { type: 'string' }, frequency: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length === 0) {
    io.err('usage: ecgatk import <file-or-folder>… [--no-deidentify] [--annotator atr] [--frequency HZ (signal CSVs without a time column)] [--json]');
    return 2;
  }
  if (values.frequency !== undefined && !(Number(values.frequency) > 0)) fail('--frequency', `must be a positive number of Hz, got "${values.frequency}"`);
  const t0 = performance.now();
  const items = await importPaths(ctx.catalog, positionals, {
    deidentify: values['no-deidentify'] ? false : ctx.settings.get().deidentifyOnImport,
    annotator: values.annotator,
    csvFrequency: values.frequency === undefined ? undefined : Number(values.frequency),
    onProgress: progressLine(io),
  });
  if (values.json) io.out(JSON.stringify(items, null, 2));
  else for (const it of items) io.out(`${it.status.padEnd(9)} ${it.name ?? ''}${it.error ? `  — ${it.error}` : ''}`);
  const failed = items.filter((i) => i.status === 'failed').length;
  io.err(`${items.length - failed} of ${items.length} files imported or already current, ${failed} failed (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return failed > 0 ? 1 : 0;
}

export function cmdRecords(ctx: AppContext, args: string[], io: Io): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const list = ctx.catalog.list();
  if (values.json) {
    io.out(JSON.stringify(list, null, 2));
    return 0;
  }
  io.out(`${'id'.padStart(4)}  ${'name'.padEnd(18)} ${'format'.padEnd(6)} ${'duration'.padStart(9)}  ${'N'.padStart(6)} ${'S'.padStart(5)} ${'V'.padStart(5)} ${'F'.padStart(4)} ${'Q'.padStart(4)}  leads`);
  for (const r of list) {
    const c = r.classCounts;
    io.out(
      `${String(r.id).padStart(4)}  ${r.name.padEnd(18)} ${r.format.padEnd(6)} ${`${r.durationSeconds.toFixed(1)} s`.padStart(9)}  ${String(c.N).padStart(6)} ${String(c.S).padStart(5)} ${String(c.V).padStart(5)} ${String(c.F).padStart(4)} ${String(c.Q).padStart(4)}  ${r.leads.map((l) => l.name).join(', ')}`,
    );
  }
  return 0;
}

/** A record argument is a .hea path, a record path without extension, or a catalog name. */
function resolveHeader(ctx: AppContext, arg: string): string {
  const candidates = [arg, `${arg}.hea`].map((p) => resolve(p));
  const hit = candidates.find((p) => p.endsWith('.hea') && existsSync(p));
  if (hit) return hit;
  const rec = ctx.catalog.findByName(arg);
  if (rec && rec.format === 'wfdb') return rec.sourcePath;
  fail(arg, 'no such WFDB record (give a .hea path or the name of an imported WFDB record)');
}

export async function cmdSamples(ctx: AppContext, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { from: { type: 'string' }, to: { type: 'string' }, signals: { type: 'string' }, physical: { type: 'boolean' } } });
  if (positionals.length !== 1) {
    io.err('usage: ecgatk samples <record-or-.hea> [--from SAMPLE] [--to SAMPLE] [--signals i,j] [--physical]');
    return 2;
  }
  const rec = await openWfdbRecord(resolveHeader(ctx, positionals[0]!));
  const int = (v: string | undefined, name: string, dflt: number): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) fail(positionals[0]!, `--${name} must be a non-negative whole number, got "${v}"`);
    return n;
  };
  const from = int(values.from, 'from', 0);
  // Like rdsamp, stop where the signal files end even if the header promises more.
  const to = Math.min(availableFrames(rec), int(values.to, 'to', rec.numFrames));
  const signals = values.signals === undefined ? rec.signals.map((s) => s.index) : values.signals.split(',').map((s) => int(s.trim(), 'signals', 0));
  const CHUNK = 65_536;
  for (let a = from; a < to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK);
    const w = await readWfdbWindow(rec, { from: a, to: b, signals });
    const lines: string[] = [];
    for (let t = 0; t < b - a; t++) {
      const row = w.map((s) => {
        // Like getvec in WFDB's default (low-resolution) mode: one value per frame, the mean of its samples.
        const spf = s.info.samplesPerFrame;
        let sum = 0;
        for (let j = 0; j < spf; j++) {
          const v = s.raw[t * spf + j]!;
          if (v === INVALID) return values.physical ? NaN : INVALID;
          sum += v;
        }
        const raw = spf === 1 ? sum : Math.round(sum / spf);
        return values.physical ? (raw - s.info.baseline) / s.info.gain : raw;
      });
      lines.push(rdsampLine(row, values.physical ?? false));
    }
    io.write(lines.join('\n') + '\n');
  }
  return 0;
}

export async function cmdAnnotations(ctx: AppContext, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { annotator: { type: 'string' } } });
  if (positionals.length !== 1) {
    io.err('usage: ecgatk annotations <record-or-.hea> [--annotator atr]');
    return 2;
  }
  const hea = resolveHeader(ctx, positionals[0]!);
  const rec = await openWfdbRecord(hea);
  const set = await readAnnotations(join(dirname(hea), `${rec.header.recordName}.${values.annotator ?? 'atr'}`));
  const fs = set.frequency ?? rec.frameFrequency;
  io.write(set.annotations.map((a) => rdannLine(a, fs, { time: rec.header.baseTime, date: rec.header.baseDate })).join('\n') + (set.annotations.length ? '\n' : ''));
  return 0;
}

export async function cmdDataset(ctx: AppContext, args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
    const list = listDatasets(ctx.store);
    if (values.json) io.out(JSON.stringify(list, null, 2));
    else for (const d of list) io.out(`${d.name.padEnd(28)} ${String(d.beats).padStart(7)} beats × ${d.beatLength}  ${d.params.split.padEnd(12)} train ${JSON.stringify(d.counts.train)} test ${JSON.stringify(d.counts.test)}  ${d.hash.slice(0, 12)}`);
    return 0;
  }
  if (sub === 'import-csv') {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { name: { type: 'string' }, labels: { type: 'string' }, frequency: { type: 'string' }, seed: { type: 'string' } } });
    if (!values.name || positionals.length < 1 || positionals.length > 2) {
      io.err('usage: ecgatk dataset import-csv <train.csv> [<test.csv>] --name NAME [--labels N,S,V,F,Q] [--frequency 125] [--seed 1]');
      return 2;
    }
    const m = await importBeatTables(
      buildContextOf(ctx),
      { name: values.name, train: resolve(positionals[0]!), test: positionals[1] ? resolve(positionals[1]) : undefined, labels: values.labels?.split(','), frequency: values.frequency ? Number(values.frequency) : undefined, seed: values.seed ? Number(values.seed) : undefined },
    );
    io.out(`dataset ${m.name} (${m.id}): ${m.beats} beats of ${m.beatLength} samples, classes ${m.classes.join(', ')}, split ${m.params.split}`);
    io.out(`  train ${JSON.stringify(m.counts.train)}`);
    io.out(`  test  ${JSON.stringify(m.counts.test)}`);
    io.out(`  hash ${m.hash}`);
    return 0;
  }
  if (sub !== 'build') {
    io.err('usage: ecgatk dataset build <records-folder-or-files>… --name NAME [--preset paper|benchmark] [--classes 4|5] [--split random|interpatient] [--test-fraction 0.2] [--seed 1] [--lead MLII]\n       ecgatk dataset import-csv <train.csv> [<test.csv>] --name NAME [--labels N,S,V,F,Q]\n       ecgatk dataset list [--json]');
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
  const preset = (values.preset ?? 'paper') as BeatPreset;
  if (preset !== 'paper' && preset !== 'benchmark') fail('--preset', `must be paper or benchmark, got "${values.preset}"`);
  const classes = Number(values.classes ?? 4);
  if (classes !== 4 && classes !== 5) fail('--classes', `must be 4 or 5, got "${values.classes}"`);
  const split = (values.split ?? 'random') as SplitKind;
  if (split !== 'random' && split !== 'interpatient') fail('--split', `must be random or interpatient, got "${values.split}"`);
  const testFraction = Number(values['test-fraction'] ?? 0.2);
  if (!(testFraction > 0 && testFraction < 1)) fail('--test-fraction', `must be between 0 and 1, got "${values['test-fraction']}"`);
  // Import (a no-op for records already current) so the dataset is built from catalogued, hashed files.
  const items = await importPaths(ctx.catalog, positionals, { deidentify: ctx.settings.get().deidentifyOnImport, onProgress: progressLine(io) });
  for (const f of items.filter((i) => i.status === 'failed')) io.err(`skipped ${f.path}: ${f.error}`);
  const ids = items.filter((i) => i.recordId !== null).map((i) => i.recordId!);
  const m = await buildDataset(
    buildContextOf(ctx),
    ids,
    { name: values.name, preset, classes, split, testFraction, seed: Number(values.seed ?? 1), lead: values.lead ?? 'MLII' },
    progressLine(io),
  );
  io.out(`dataset ${m.name} (${m.id}): ${m.beats} beats of ${m.beatLength} samples at ${m.params.window.frequency} Hz, ${m.classes.length} classes, split ${split}`);
  io.out(`  train ${JSON.stringify(m.counts.train)}`);
  io.out(`  test  ${JSON.stringify(m.counts.test)}`);
  io.out(`  reference annotations ${JSON.stringify(m.counts.reference)} (beats too close to a record's ends for the window are left out)`);
  io.out(`  class weights ${JSON.stringify(Object.fromEntries(Object.entries(m.classWeights).map(([k, v]) => [k, Number(v.toFixed(4))])))}`);
  io.out(`  hash ${m.hash}`);
  return 0;
}
