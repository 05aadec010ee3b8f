import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SHARED_DATA } from '../../helpers.ts';
import { readEdf, parseEdf } from '../../../src-main/signals/edf.ts';
import { readCsv } from '../../../src-main/signals/csv.ts';
import { openWfdbRecord, readWfdbWindow } from '../../../src-main/signals/wfdb/record.ts';

const W = join(SHARED_DATA, 'wfdb');
const tmp = mkdtempSync(join(tmpdir(), 'ecgatk-csv-'));
const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('EDF', () => {
  it('test_generator_2.edf equals its WFDB copy sample for sample', async () => {
    const edf = await readEdf(join(W, 'test_generator_2.edf'));
    expect(edf.plus).toBe('EDF+C');
    expect(edf.signals.length).toBe(11);
    const wfdb = await readWfdbWindow(await openWfdbRecord(join(W, 'test_generator_2.hea')));
    for (let s = 0; s < 11; s++) expect(Array.from(edf.digital[s]!)).toEqual(Array.from(wfdb[s]!.raw));
    expect(edf.signals[0]).toMatchObject({ label: 'squarewave', frequency: 200, units: 'uV' });
  });

  it('reads EDF+ annotations', async () => {
    const edf = await readEdf(join(W, 'test_edfann.edf'));
    expect(edf.annotations[0]).toEqual({ onset: 0, duration: 30, text: 'Sleep stage W' });
    expect(edf.annotations.some((a) => a.text.startsWith('Lights off'))).toBe(true);
  });

  it('a truncated EDF is refused with the reason', () => {
    const bytes = readFileSync(join(W, 'test_generator_2.edf'));
    expect(() => parseEdf(new Uint8Array(bytes.subarray(0, bytes.length - 1000)), '/d/t.edf')).toThrow(/^t\.edf: truncated: header declares 600 data records but the file holds 599/);
    expect(() => parseEdf(new Uint8Array(bytes.subarray(0, 100)), '/d/t.edf')).toThrow(/too short/);
  });
});

describe('CSV', () => {
  it('reads a heartbeat table (values then an integer label)', async () => {
    const rows = Array.from({ length: 4 }, (_, i) => [...Array.from({ length: 40 }, (_, j) => ((i + j) % 7) / 7), i % 2].join(','));
    const t = await readCsv(write('beats.csv', rows.join('\n')));
    expect(t.kind).toBe('beats');
    if (t.kind !== 'beats') return;
    expect([t.count, t.beatLength, Array.from(t.labels)]).toEqual([4, 40, [0, 1, 0, 1]]);
  });

  it('reads a signal CSV and infers the rate from its time column', async () => {
    const lines = ['time,MLII,V5', ...Array.from({ length: 50 }, (_, i) => `${(i / 250).toFixed(4)},${Math.sin(i / 5).toFixed(4)},${i % 3 === 0 ? '' : '0.1'}`)];
    const t = await readCsv(write('sig.csv', lines.join('\n')));
    expect(t.kind).toBe('signal');
    if (t.kind !== 'signal') return;
    expect(t.frequency).toBe(250);
    expect(t.leads).toEqual(['MLII', 'V5']);
    expect(Number.isNaN(t.data[1]![0]!)).toBe(true);
  });

  it('text in a numeric cell names the file, row and column', async () => {
    await expect(readCsv(write('bad.csv', 'time,a\n0,1\n0.004,oops\n0.008,2\n'))).rejects.toThrow(/^bad\.csv: row 3, column 2: "oops" is not a number/);
  });

  it('a signal CSV without a time column needs a frequency', async () => {
    await expect(readCsv(write('nofs.csv', 'a,b\n1,2\n3,4\n'), { kind: 'signal' })).rejects.toThrow(/give the sampling frequency/);
    const t = await readCsv(write('fs.csv', 'a,b\n1,2\n3,4\n'), { kind: 'signal', frequency: 360 });
    expect(t.kind === 'signal' && t.frequency).toBe(360);
  });

  it('an empty file is an error', async () => {
    await expect(readCsv(write('empty.csv', ''))).rejects.toThrow(/empty\.csv: the file is empty/);
  });
});
