import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { SHARED_DATA } from '../../helpers.ts';
import { readAnnotations, parseAnnotations, aamiCounts, AAMI } from '../../../src-main/signals/wfdb/annotations.ts';
import { rdannLine, rdsampLine, elapsedTime, absoluteTime } from '../../../src-main/signals/wfdb/text.ts';

describe('MIT annotations', () => {
  it('record 100: 2239 N, 33 A, 1 V and the (N rhythm label', async () => {
    const { annotations } = await readAnnotations(join(SHARED_DATA, 'wfdb', '100.atr'));
    const bySymbol: Record<string, number> = {};
    for (const a of annotations) bySymbol[a.symbol] = (bySymbol[a.symbol] ?? 0) + 1;
    expect(bySymbol).toEqual({ '+': 1, N: 2239, A: 33, V: 1 });
    expect(annotations[0]).toMatchObject({ sample: 18, symbol: '+', aux: '(N' });
    expect(aamiCounts(annotations)).toEqual({ N: 2239, S: 33, V: 1, F: 0, Q: 0 });
  });

  it('rdann layout for record 100', async () => {
    const { annotations } = await readAnnotations(join(SHARED_DATA, 'wfdb', '100.atr'));
    expect(rdannLine(annotations[0]!, 360)).toBe('    0:00.050       18     +    0    0    0\t(N');
    expect(rdannLine(annotations[1]!, 360)).toBe('    0:00.214       77     N    0    0    0');
    expect(rdannLine(annotations.at(-1)!, 360)).toBe('   30:05.531   649991     N    0    0    0');
    expect(elapsedTime(360 * 3725, 360)).toBe(' 1:02:05.000');
  });

  it('records with a base time print wall-clock times, rolling the date over midnight', () => {
    expect(absoluteTime(0, 125, '17:27:45', '15/08/1994')).toBe('[17:27:45.000 15/08/1994]');
    expect(absoluteTime(125 * 60 * 60 * 7, 125, '17:27:45', '15/08/1994')).toBe('[00:27:45.000 16/08/1994]');
    expect(absoluteTime(25, 125, '8:26:04', null)).toBe('[08:26:04.200]');
  });

  it('rdsamp layout', () => {
    expect(rdsampLine([995, 1011], false)).toBe('  995\t 1011');
    expect(rdsampLine([-0.145, NaN], true)).toBe(' -0.145\t      -');
  });

  it('a detector file carries its NOTE text in AUX', async () => {
    const { annotations } = await readAnnotations(join(SHARED_DATA, 'wfdb', '100.qrs'));
    expect(annotations[0]).toMatchObject({ sample: 0, symbol: '"', aux: 'gqrs -r 100' });
    expect(annotations.filter((a) => a.symbol === 'N').length).toBeGreaterThan(2000);
  });

  it('NUM and CHN modify the preceding annotation and carry over; SUB does not; SKIP delays', () => {
    const w = (a: number, i: number): number[] => [((a << 10) | i) & 0xff, ((a << 10) | i) >> 8];
    const bytes = Uint8Array.from([...w(1, 10), ...w(60, 5), ...w(62, 2), ...w(61, 3), ...w(5, 10), ...w(59, 0), 0x00, 0x00, 0x10, 0x00, ...w(1, 4), 0, 0]);
    const { annotations } = parseAnnotations(bytes, 't.atr');
    expect(annotations.map((a) => [a.sample, a.symbol, a.num, a.chan, a.subtype])).toEqual([
      [10, 'N', 5, 2, 3],
      [20, 'V', 5, 2, 0],
      [40, 'N', 5, 2, 0],
    ]);
  });

  it('custom annotation types are defined from the file', async () => {
    const set = await readAnnotations(join(SHARED_DATA, 'wfdb', '1003.atr'));
    expect(set.customTypes[15]).toEqual({ symbol: 'c', description: 'calibration pulse' });
    expect(Object.keys(set.customTypes).length).toBe(6);
    expect(set.annotations.filter((a) => a.symbol === 'N').length).toBeGreaterThan(100);
  });

  it('maps every MIT-BIH beat label to its AAMI class', () => {
    expect(Object.entries(AAMI).sort()).toEqual(
      Object.entries({ N: 'N', L: 'N', R: 'N', e: 'N', j: 'N', B: 'N', A: 'S', a: 'S', J: 'S', S: 'S', n: 'S', V: 'V', E: 'V', r: 'V', F: 'F', '/': 'Q', f: 'Q', Q: 'Q' }).sort(),
    );
  });

  it('truncated or odd-length files are errors naming the file', () => {
    const bytes = readFileSync(join(SHARED_DATA, 'wfdb', '100.atr'));
    expect(() => parseAnnotations(new Uint8Array(bytes.subarray(0, 11)), '/x/100.atr')).toThrow(/^100\.atr: .*odd length/);
    // An AUX word claiming 200 bytes with only a few left.
    expect(() => parseAnnotations(Uint8Array.from([0x12, 0x04, 0xc8, 0xfc, 0x41, 0x42]), 'y.atr')).toThrow(/y\.atr: AUX string .* runs past the end/);
  });
});
