// What the viewer and the CLI ask of records: windows of samples (with a small cache of opened
// sources so paging does not re-open them) and annotations.
import type { RecordCatalog } from './catalog.ts';
import { loadRecord, type LoadedRecord } from './sources.ts';
import { dirname, join } from 'node:path';
import type { RecordOverview, RecordSamples, RecordWindow, RhythmEpisode, StoredAnnotation } from '../../src-shared/contract/index.ts';
import { heartRateSeries, summariseRecord, type ColumnExtremes } from './overview.ts';
import { rhythmEpisodes } from './rhythms.ts';
import { availableFrames, INVALID, openWfdbRecord, readWfdbWindow } from '../signals/wfdb/record.ts';
import { AAMI, readAnnotations } from '../signals/wfdb/annotations.ts';
import { AppError } from '../../src-shared/errors.ts';

const OPEN_RECORDS = 8;
const SUMMARIES = 16;
/** More annotations than any real record has; the viewer's whole-record summaries read them all. */
const ALL = 10_000_000;

export class RecordService {
  private readonly catalog: RecordCatalog;
  private readonly cache = new Map<string, Promise<LoadedRecord>>();
  /** Whole-record min/max columns per (content, columns): small, and slow to recompute. */
  private readonly summaries = new Map<string, Promise<ColumnExtremes[]>>();
  constructor(catalog: RecordCatalog) {
    this.catalog = catalog;
  }

  private open(path: string): Promise<LoadedRecord> {
    let hit = this.cache.get(path);
    if (!hit) {
      hit = loadRecord(path, { verify: false });
      hit.catch(() => this.cache.delete(path));
      this.cache.set(path, hit);
      while (this.cache.size > OPEN_RECORDS) this.cache.delete(this.cache.keys().next().value!);
    }
    return hit;
  }

  /** Physical values of frames [from, to) clipped to the record, rounded to 10 µV-scale digits; gaps are null. */
  async window(id: number, from: number, to: number, leads?: number[]): Promise<RecordWindow> {
    const rec = this.catalog.get(id);
    const end = Math.min(to, rec.numFrames);
    const chosen = leads ?? rec.leads.map((_, i) => i);
    const missing = chosen.find((l) => l >= rec.leads.length);
    if (missing !== undefined) throw new AppError('INVALID_INPUT', `leads: record ${rec.name} has ${rec.leads.length} leads (0–${rec.leads.length - 1}); there is no lead ${missing}`);
    const loaded = await this.open(rec.sourcePath);
    const data = await loaded.readWindow(Math.min(from, end), end, chosen);
    return {
      recordId: id,
      from,
      to: end,
      frequency: rec.frequency,
      // Five decimals keep every digit a 16-bit ADC can give while halving the JSON.
      leads: chosen.map((l, k) => ({ index: l, ...rec.leads[l]!, values: Array.from(data[k]!, (v) => (Number.isFinite(v) ? Math.round(v * 1e5) / 1e5 : null)) })),
    };
  }

  private summary(rec: { sourcePath: string; contentHash: string; numFrames: number }, columns: number): Promise<ColumnExtremes[]> {
    const key = `${rec.contentHash}:${columns}`;
    let hit = this.summaries.get(key);
    if (!hit) {
      hit = this.open(rec.sourcePath).then((l) => summariseRecord(l, rec.numFrames, columns));
      hit.catch(() => this.summaries.delete(key));
      this.summaries.set(key, hit);
      while (this.summaries.size > SUMMARIES) this.summaries.delete(this.summaries.keys().next().value!);
    }
    return hit;
  }

  /** The whole record for the overview strip: one lead's min/max columns, every lead's range, non-N marks, heart rate. */
  async overview(id: number, lead: number, columns: number): Promise<RecordOverview> {
    const rec = this.catalog.get(id);
    const leads = await this.summary(rec, columns);
    const l = Math.min(lead, rec.leads.length - 1);
    const { min, max } = leads[l]!;
    const beats = this.catalog.annotationsBetween(id, 0, rec.numFrames, ALL).filter((a) => a.aami !== null || a.source === 'detector');
    const hr = heartRateSeries(beats.map((b) => b.sample), rec.frequency);
    const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
    return {
      recordId: id,
      lead: l,
      framesPerColumn: rec.numFrames / min.length,
      min: Array.from(min, num),
      max: Array.from(max, num),
      ranges: rec.leads.map((info, i) => ({ index: i, name: info.name, ...leads[i]!.range() })),
      marks: beats.flatMap((b) => (b.aami && b.aami !== 'N' ? [{ sample: b.sample, symbol: b.symbol, aami: b.aami }] : [])),
      heartRate: { samples: hr.map((h) => h.sample), bpm: hr.map((h) => Math.round(h.bpm * 10) / 10) },
    };
  }

  episodes(id: number): RhythmEpisode[] {
    const rec = this.catalog.get(id);
    return rhythmEpisodes(this.catalog.annotationsBetween(id, 0, rec.numFrames, ALL), rec.numFrames);
  }

  /** Samples as WFDB's rdsamp prints them (WFDB records only). */
  async samples(id: number, from: number, to: number, signals: number[] | undefined, physical: boolean): Promise<RecordSamples> {
    const rec = this.catalog.get(id);
    if (rec.format !== 'wfdb') throw new AppError('INVALID_INPUT', `id: record ${rec.name} is ${rec.format.toUpperCase()}, not WFDB; use the window view for its samples`);
    const wfdb = await openWfdbRecord(rec.sourcePath);
    const available = availableFrames(wfdb);
    const end = Math.min(to, available);
    const chosen = signals ?? wfdb.signals.map((s) => s.index);
    const missing = chosen.find((i) => i >= wfdb.signals.length);
    if (missing !== undefined) throw new AppError('INVALID_INPUT', `signals: record ${rec.name} has ${wfdb.signals.length} signals; there is no signal ${missing}`);
    const start = Math.min(from, end);
    const w = end > start ? await readWfdbWindow(wfdb, { from: start, to: end, signals: chosen }) : [];
    const columns = w.map((s) => {
      const spf = s.info.samplesPerFrame;
      const col = new Array<number | null>(end - start);
      for (let t = 0; t < end - start; t++) {
        // Like getvec in WFDB's default (low-resolution) mode: one value per frame, the mean of its samples.
        let sum = 0;
        let bad = false;
        for (let j = 0; j < spf && !bad; j++) {
          const v = s.raw[t * spf + j]!;
          if (v === INVALID) bad = true;
          else sum += v;
        }
        const raw = spf === 1 ? sum : Math.round(sum / spf);
        col[t] = bad ? null : physical ? (raw - s.info.baseline) / s.info.gain : raw;
      }
      return col;
    });
    return { recordId: id, from: start, to: end, frequency: rec.frequency, availableFrames: available, signals: chosen, columns };
  }

  /** Another annotator's annotations of a WFDB record, read from its file (e.g. `qrs` beside `atr`). */
  async annotationsOf(id: number, annotator: string, from: number, to: number): Promise<StoredAnnotation[]> {
    const rec = this.catalog.get(id);
    if (annotator === (rec.annotator ?? 'atr')) return this.catalog.annotationsBetween(id, from, to);
    if (rec.format !== 'wfdb') throw new AppError('INVALID_INPUT', `annotator: record ${rec.name} is ${rec.format.toUpperCase()}; only WFDB records have annotator files`);
    const set = await readAnnotations(join(dirname(rec.sourcePath), `${rec.name}.${annotator}`));
    return set.annotations
      .filter((a) => a.sample >= from && a.sample < to)
      .map((a) => ({ sample: a.sample, symbol: a.symbol, aami: AAMI[a.symbol] ?? null, subtype: a.subtype, chan: a.chan, num: a.num, aux: a.aux, source: 'reference' as const }));
  }
}
