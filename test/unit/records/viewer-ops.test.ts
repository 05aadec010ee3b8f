import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { tempApp, SHARED_DATA } from '../../helpers.ts';
import { importPaths } from '../../../src-main/records/import.ts';
import { createInProcessCore, type Core } from '../../../src-main/app/core.ts';
import { readAnnotations } from '../../../src-main/signals/wfdb/annotations.ts';
import { loadRecord } from '../../../src-main/records/sources.ts';
import { ColumnExtremes, summariseRecord, heartRateSeries } from '../../../src-main/records/overview.ts';
import { rhythmEpisodes } from '../../../src-main/records/rhythms.ts';
import type { RecordOverview, RhythmEpisode, StoredAnnotation } from '../../../src-shared/contract/index.ts';

const MITDB = join(SHARED_DATA, 'mitdb');
let t: Awaited<ReturnType<typeof tempApp>>;
let ids: Record<string, number>;
let core: Core;
/** One call through the contract's dispatcher (validation and defaults included). */
const call = async <T>(op: string, input: unknown): Promise<T> => {
  const env = await core.call(op, input);
  if (!env.ok) throw new Error(env.error.message);
  return env.value as T;
};

beforeAll(async () => {
  t = await tempApp();
  const items = await importPaths(t.ctx.catalog, [join(MITDB, '100.hea'), join(MITDB, '201.hea')], { deidentify: true });
  ids = Object.fromEntries(items.map((i) => [i.name!, i.recordId!]));
  core = createInProcessCore(t.ctx);
}, 60_000);
afterAll(() => t.cleanup());

describe('overview decimation', () => {
  it('keeps every extreme: column min/max equal the extremes of the raw samples, read in blocks or at once', async () => {
    const rec = await loadRecord(join(MITDB, '100.hea'));
    const [mlii] = await rec.readWindow(0, rec.numFrames, [0]);
    const whole = new ColumnExtremes(mlii!.length, 1000);
    whole.add(0, mlii!);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of mlii!) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    expect(Math.min(...whole.min)).toBe(lo);
    expect(Math.max(...whole.max)).toBe(hi);
    // Column 0 covers frames [0, 650): its max is the max of those samples.
    expect(whole.max[0]).toBe(Math.max(...mlii!.subarray(0, 650)));
    // Fed in uneven blocks (as summariseRecord reads), the columns are the same.
    const blocks = new ColumnExtremes(mlii!.length, 1000);
    for (let from = 0; from < mlii!.length; from += 99_991) blocks.add(from, mlii!.subarray(from, from + 99_991));
    expect(blocks.min).toEqual(whole.min);
    expect(blocks.max).toEqual(whole.max);
    const [summary] = await summariseRecord(rec, rec.numFrames, 1000);
    expect(summary!.max).toEqual(whole.max);
    // Record 100 stays within ±5 mV: its range is its true extremes, the PVC's trough included.
    expect(whole.range()).toEqual({ min: lo, max: hi });
    const spiked = Float32Array.from(mlii!.subarray(0, 3600));
    spiked[100] = 40;
    spiked[200] = NaN;
    const s = new ColumnExtremes(3600, 10);
    s.add(0, spiked);
    expect(s.range().max).toBe(5);
    expect(Number.isNaN(s.min[0]!)).toBe(false);
  });

  it('heart rate from RR: 60/RR at each beat after the first', () => {
    expect(heartRateSeries([0, 360, 660], 360)).toEqual([
      { sample: 360, rr: 1, bpm: 60 },
      { sample: 660, rr: 300 / 360, bpm: 72 },
    ]);
  });
});

describe('viewer ops on MIT-BIH 100 and 201', () => {
  it('records.overview: whole-record ranges per lead, the V and S beats as marks, a plausible heart rate', async () => {
    const o = await call<RecordOverview>('records.overview', { id: ids['100'], lead: 0, columns: 2000 });
    expect(o.min).toHaveLength(2000);
    expect(o.framesPerColumn).toBe(325);
    expect(o.ranges.map((r) => r.name)).toEqual(['MLII', 'V5']);
    const atr = (await readAnnotations(join(MITDB, '100.atr'))).annotations;
    const pvc = atr.filter((a) => a.symbol === 'V');
    expect(o.marks.filter((m) => m.aami === 'V').map((m) => m.sample)).toEqual(pvc.map((a) => a.sample));
    expect(o.marks.filter((m) => m.aami === 'S')).toHaveLength(33);
    const bpm = [...o.heartRate.bpm].sort((a, b) => a - b);
    expect(bpm[bpm.length >> 1]).toBeGreaterThan(65);
    expect(bpm[bpm.length >> 1]).toBeLessThan(85);
  });

  it('records.findBeat: the one PVC of record 100 from the start, and back', async () => {
    const pvc = (await readAnnotations(join(MITDB, '100.atr'))).annotations.find((a) => a.symbol === 'V')!;
    const next = await call<StoredAnnotation | null>('records.findBeat', { id: ids['100'], from: 0, direction: 'next', aami: 'V' });
    expect(next?.sample).toBe(pvc.sample);
    expect(await call('records.findBeat', { id: ids['100'], from: pvc.sample, direction: 'next', aami: 'V' })).toBeNull();
    expect((await call<StoredAnnotation>('records.findBeat', { id: ids['100'], from: 650000, direction: 'prev', aami: 'V' })).sample).toBe(pvc.sample);
    const a = await call<StoredAnnotation>('records.findBeat', { id: ids['100'], from: 0, direction: 'next', symbol: 'A' });
    expect(a.symbol).toBe('A');
    const atr = (await readAnnotations(join(MITDB, '100.atr'))).annotations;
    const anyBeat = await call<StoredAnnotation>('records.findBeat', { id: ids['100'], from: 0, direction: 'next' });
    expect(anyBeat.sample).toBe(atr.find((x) => x.symbol === 'N')!.sample);
  });

  it('records.episodes: 100 is sinus rhythm throughout; 201 alternates AFIB, nodal, sinus and trigeminy', async () => {
    expect(await call<RhythmEpisode[]>('records.episodes', { id: ids['100'] })).toEqual([{ start: 18, end: 650000, code: '(N', name: 'Normal sinus rhythm' }]);
    const e201 = await call<RhythmEpisode[]>('records.episodes', { id: ids['201'] });
    expect(e201.slice(0, 3)).toEqual([
      { start: 60, end: 136226, code: '(AFIB', name: 'Atrial fibrillation' },
      { start: 136226, end: 138552, code: '(NOD', name: 'Nodal (A-V junctional) rhythm' },
      { start: 138552, end: 171815, code: '(N', name: 'Normal sinus rhythm' },
    ]);
    for (let i = 1; i < e201.length; i++) expect(e201[i]!.start).toBe(e201[i - 1]!.end);
    expect(e201.at(-1)!.end).toBe(650000);
  });

  it('a repeated change to the rhythm in force extends the episode', () => {
    const e = rhythmEpisodes([{ sample: 5, aux: '(N' }, { sample: 50, aux: '(N' }, { sample: 80, aux: '(AFIB' }, { sample: 90, aux: null }], 100);
    expect(e.map((x) => [x.start, x.end, x.code])).toEqual([[5, 80, '(N'], [80, 100, '(AFIB']]);
  });
});
