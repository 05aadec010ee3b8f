// Property-based fuzzing of every parser: whatever the bytes, the outcome is a parsed
// result or a SignalFileError that names the file — never another exception, never a hang.
// Shared by the bounded CI test (fixed seed) and the long-run script (npm run fuzz).
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHeader } from '../../src-main/signals/wfdb/header.ts';
import { parseAnnotations } from '../../src-main/signals/wfdb/annotations.ts';
import { parseEdf } from '../../src-main/signals/edf.ts';
import { readCsv } from '../../src-main/signals/csv.ts';
import { openWfdbRecord, readWfdbWindow, verifyChecksums } from '../../src-main/signals/wfdb/record.ts';
import { SignalFileError } from '../../src-main/signals/errors.ts';
import { RecordCatalog } from '../../src-main/records/catalog.ts';
import { importPaths } from '../../src-main/records/import.ts';
import { openStore } from '../../src-main/store/db.ts';

const DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'wfdb');

/** Runs fn; a SignalFileError naming the file (or, for a record, one of its files) is accepted, anything else fails the property. */
async function tolerant(file: string, fn: () => unknown): Promise<void> {
  const stem = file.split('/').pop()!.replace(/\.[^.]+$/, '');
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof SignalFileError)) throw new Error(`unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    if (!err.message.startsWith(`${stem}.`)) throw new Error(`error does not name the file: ${err.message}`);
  }
}

/** Mutations of a valid byte string: truncation, byte flips, insertions, huge numbers in text. */
const mutated = (base: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.nat({ max: base.length }).map((n) => base.slice(0, n)),
    fc.array(fc.tuple(fc.nat({ max: Math.max(0, base.length - 1) }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const b = base.slice();
      for (const [i, v] of flips) b[i] = v;
      return b;
    }),
    fc.uint8Array({ maxLength: 600 }),
  );

const headerText = (): fc.Arbitrary<string> => {
  const base = readFileSync(join(DATA, '100.hea'), 'utf8');
  const tokens = fc.constantFrom('212', '16', '999', '-5', '1e309', '99999999999', 'x', '', '212x0', '16:4', '+7', '200(0)/mV', '0', 'NaN', '650000', '#', '/2');
  return fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.array(tokens, { maxLength: 12 }).map((t) => `rec ${t.join(' ')}\n${t.reverse().join(' ')}\n`),
    fc.tuple(fc.nat({ max: base.length }), tokens).map(([i, t]) => base.slice(0, i) + t + base.slice(i)),
  );
};

export interface FuzzReport {
  name: string;
  runs: number;
}

export async function runFuzz(runs: number, seed: number): Promise<FuzzReport[]> {
  const reports: FuzzReport[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ecgatk-fuzz-'));
  const params = { numRuns: runs, seed, endOnFailure: true };

  await fc.assert(fc.asyncProperty(headerText(), (text) => tolerant('f.hea', () => parseHeader(text, '/fuzz/f.hea'))), params);
  reports.push({ name: 'WFDB header text', runs });

  const atr = new Uint8Array(readFileSync(join(DATA, '100.atr')).subarray(0, 600));
  await fc.assert(fc.asyncProperty(mutated(atr), (b) => tolerant('f.atr', () => parseAnnotations(b, '/fuzz/f.atr'))), params);
  reports.push({ name: 'MIT annotations', runs });

  const edf = new Uint8Array(readFileSync(join(DATA, 'test_generator_2.edf')).subarray(0, 256 * 13 + 4400 * 2));
  const edfArb = fc.oneof(mutated(edf), fc.tuple(fc.integer({ min: 0, max: 3328 }), fc.constantFrom('-1      ', '99999999', 'abc     ', '0       ', '1e308   ')).map(([i, s]) => {
    const b = edf.slice();
    b.set(Buffer.from(s, 'latin1'), Math.min(i, b.length - 8));
    return b;
  }));
  await fc.assert(fc.asyncProperty(edfArb, (b) => tolerant('f.edf', () => parseEdf(b, '/fuzz/f.edf'))), params);
  reports.push({ name: 'EDF/EDF+', runs });

  let n = 0;
  const cell = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.constantFrom('', 'abc', '1e999', '"q"', ' 3 ', '-'), fc.integer().map(String));
  const csvArb = fc.tuple(fc.boolean(), fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 12 }), fc.constantFrom<'auto' | 'signal' | 'beats'>('auto', 'signal', 'beats'));
  await fc.assert(
    fc.asyncProperty(csvArb, async ([header, rows, kind]) => {
      const p = join(dir, `c${n++}.csv`);
      writeFileSync(p, (header ? 'time,a,b\n' : '') + rows.map((r) => r.join(',')).join('\n'));
      await tolerant(p, () => readCsv(p, { kind, frequency: kind === 'signal' ? 250 : undefined }));
    }),
    params,
  );
  reports.push({ name: 'CSV (beats and signals)', runs });

  // Whole records on disk: a lying header over real data, and truncated/garbled signal files.
  const dat = new Uint8Array(readFileSync(join(DATA, '100_3chan.dat')));
  const hea = readFileSync(join(DATA, '100_3chan.hea'), 'utf8');
  const recArb = fc.tuple(
    fc.constantFrom('212', '16', '8', '61', '80', '310', '311', '24', '32', '160', '212x3', '16:5', '212+9'),
    fc.constantFrom('999', '0', '5', '100000000', '1'),
    mutated(dat),
  );
  await fc.assert(
    fc.asyncProperty(recArb, async ([fmt, len, bytes]) => {
      const sub = mkdtempSync(join(dir, 'r'));
      writeFileSync(join(sub, '100_3chan.hea'), hea.replace(/ 212 /g, ` ${fmt} `).replace(' 999', ` ${len}`));
      writeFileSync(join(sub, '100_3chan.dat'), bytes);
      await tolerant(join(sub, '100_3chan.hea'), async () => {
        const rec = await openWfdbRecord(join(sub, '100_3chan.hea'));
        await readWfdbWindow(rec, { from: 0, to: Math.min(rec.numFrames, 5000) });
        await verifyChecksums(rec);
      });
    }),
    { ...params, numRuns: Math.max(1, Math.floor(runs / 3)) },
  );
  reports.push({ name: 'WFDB records (header × signal file)', runs: Math.max(1, Math.floor(runs / 3)) });

  // Import of broken files never leaves partial rows in the catalog.
  const store = openStore(join(dir, 'catalog.sqlite'));
  const catalog = new RecordCatalog(store);
  await fc.assert(
    fc.asyncProperty(mutated(dat), async (bytes) => {
      const sub = mkdtempSync(join(dir, 'i'));
      copyFileSync(join(DATA, '100_3chan.hea'), join(sub, '100_3chan.hea'));
      writeFileSync(join(sub, '100_3chan.dat'), bytes);
      const before = store.records.rowCount();
      const [item] = await importPaths(catalog, [sub], { deidentify: true });
      const after = store.records.rowCount();
      if (item!.status === 'failed' && after !== before) throw new Error('a failed import wrote rows');
      if (item!.status === 'failed' && !/100_3chan/.test(item!.error ?? '')) throw new Error(`error does not name the file: ${item!.error}`);
    }),
    { ...params, numRuns: Math.max(1, Math.floor(runs / 5)) },
  );
  reports.push({ name: 'catalog import (no partial rows)', runs: Math.max(1, Math.floor(runs / 5)) });
  store.close();
  return reports;
}
