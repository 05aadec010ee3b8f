// Data-layer benchmarks: format-212 decode speed, import times, QRS detector accuracy on all
// 48 MIT-BIH records (EC57 convention: ±150 ms match window, VF episodes excluded).
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '../../src-main/signals/wfdb/formats.ts';
import { openWfdbRecord, readWfdbWindow, toPhysical } from '../../src-main/signals/wfdb/record.ts';
import { readAnnotations, isBeat } from '../../src-main/signals/wfdb/annotations.ts';
import { detectQrs, excludedSpans, matchBeats, outside } from '../../src-main/beats/qrs.ts';
import { openStore } from '../../src-main/store/db.ts';
import { RecordCatalog } from '../../src-main/records/catalog.ts';
import { importPaths } from '../../src-main/records/import.ts';

const DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');

export async function benchData(log: (line: string) => void): Promise<void> {
  const dat = new Uint8Array(readFileSync(join(DATA, 'mitdb', '100.dat')));
  const out = new Int32Array((dat.length * 2) / 3);
  decode(212, dat, out.length, out);
  const reps = 10;
  let t0 = performance.now();
  for (let i = 0; i < reps; i++) decode(212, dat, out.length, out);
  const sec = (performance.now() - t0) / 1000;
  log(`decode format 212: ${((dat.length * reps) / sec / 1e6).toFixed(0)} MB/s (${((out.length * reps) / sec / 1e6).toFixed(1)} M samples/s)`);

  const home = mkdtempSync(join(tmpdir(), 'ecgatk-bench-'));
  try {
    const store = openStore(join(home, 'bench.sqlite'));
    const catalog = new RecordCatalog(store);
    t0 = performance.now();
    const samples = await importPaths(catalog, [join(DATA, 'wfdb')], { deidentify: true });
    log(`import sample folder (shared/data/wfdb, ${samples.length} files, ${samples.filter((s) => s.status === 'failed').length} refused): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    t0 = performance.now();
    const mit = await importPaths(catalog, [join(DATA, 'mitdb')], { deidentify: true });
    log(`import all ${mit.length} MIT-BIH records (hash, checksums, annotations): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    t0 = performance.now();
    const again = await importPaths(catalog, [join(DATA, 'mitdb')], { deidentify: true });
    log(`re-import MIT-BIH (${again.filter((a) => a.status === 'unchanged').length}/${again.length} unchanged): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    store.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }

  const records = readFileSync(join(DATA, 'mitdb', 'RECORDS'), 'utf8').split(/\s+/).filter(Boolean);
  let tp = 0;
  let fn = 0;
  let fp = 0;
  const rows: string[] = [];
  t0 = performance.now();
  for (const r of records) {
    const rec = await openWfdbRecord(join(DATA, 'mitdb', `${r}.hea`));
    const lead = Math.max(0, rec.signals.findIndex((s) => s.name === 'MLII'));
    const [w] = await readWfdbWindow(rec, { signals: [lead] });
    const anns = (await readAnnotations(join(DATA, 'mitdb', `${r}.atr`))).annotations;
    const spans = excludedSpans(anns, rec.numFrames);
    const ref = outside(anns.filter((a) => isBeat(a.symbol)).map((a) => a.sample), spans);
    const det = outside(detectQrs(toPhysical(w!), rec.frameFrequency), spans);
    const m = matchBeats(ref, det, Math.round(0.15 * rec.frameFrequency));
    tp += m.truePositives;
    fn += m.falseNegatives;
    fp += m.falsePositives;
    rows.push(`${r}: Se ${(100 * m.sensitivity).toFixed(2)} +P ${(100 * m.positivePredictivity).toFixed(2)} (FN ${m.falseNegatives}, FP ${m.falsePositives})`);
  }
  const detSec = (performance.now() - t0) / 1000;
  log(`QRS detector (Pan-Tompkins), 48 MIT-BIH records, lead MLII, ±150 ms: gross Se ${((100 * tp) / (tp + fn)).toFixed(2)} %, +P ${((100 * tp) / (tp + fp)).toFixed(2)} % (TP ${tp}, FN ${fn}, FP ${fp}; ${detSec.toFixed(1)} s)`);
  for (let i = 0; i < rows.length; i += 4) log(`  ${rows.slice(i, i + 4).join(' | ')}`);
}
