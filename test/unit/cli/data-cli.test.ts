// The data-layer commands as auditors use them, on real MIT-BIH data.
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir, SHARED_DATA } from '../../helpers.ts';
import { openWfdbRecord, readWfdbWindow } from '../../../src-main/signals/wfdb/record.ts';
import { readAnnotations } from '../../../src-main/signals/wfdb/annotations.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'src-main', 'cli', 'bin.mjs');
const home = tempDir();
afterAll(() => home.cleanup());
const W = join(SHARED_DATA, 'wfdb');

function ecgatk(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ECGATK_HOME: home.path }, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ecgatk data commands', () => {
  it('samples prints record 100 in rdsamp layout, every sample, matching the decoder', async () => {
    const r = ecgatk('samples', join(W, '100.hea'));
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(650000);
    expect(lines.slice(0, 2)).toEqual(['  995\t 1011', '  995\t 1011']);
    const w = await readWfdbWindow(await openWfdbRecord(join(W, '100.hea')), { from: 649990 });
    expect(lines.at(-1)).toBe(`${String(w[0]!.raw[9]).padStart(5)}\t${String(w[1]!.raw[9]).padStart(5)}`);
  });

  it('samples --from/--to/--signals/--physical select and convert', () => {
    const r = ecgatk('samples', join(W, '100'), '--from', 's1', '--to', 's3', '--signals', '1', '--physical');
    expect(r.stdout).toBe(`${((1011 - 1024) / 200).toFixed(3).padStart(7)}\n`.repeat(2));
  });

  it('samples takes times like rdsamp: ss, mm:ss and hh:mm:ss.sss select the same frames as sample numbers', () => {
    const bySample = ecgatk('samples', '100', '--from', 's21600', '--to', 's21636');
    expect(bySample.code).toBe(0);
    expect(bySample.stdout.split('\n').length - 1).toBe(36);
    for (const [from, to] of [['60', '60.1'], ['1:00', '1:00.1'], ['00:01:00.000', '0:01:00.100']]) {
      expect(ecgatk('samples', '100', '--from', from!, '--to', to!).stdout).toBe(bySample.stdout);
    }
    const bad = ecgatk('samples', '100', '--from', '1:75');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--from: "1:75" has 75 seconds/);
  });

  it('annotations prints record 100 in rdann layout', async () => {
    const r = ecgatk('annotations', join(W, '100'), '--annotator', 'atr');
    const lines = r.stdout.trimEnd().split('\n');
    const n = (await readAnnotations(join(W, '100.atr'))).annotations.length;
    expect(lines.length).toBe(n);
    expect(lines[0]).toBe('    0:00.050       18     +    0    0    0\t(N');
    expect(lines[1]).toBe('    0:00.214       77     N    0    0    0');
    expect(lines.filter((l) => /^\s+\S+\s+\d+\s+A\s/.test(l)).length).toBe(33);
  });

  it('import of the sample folder, then records --json lists durations, leads and AAMI counts', () => {
    const imp = ecgatk('import', W);
    expect(imp.code).toBe(1); // two files cannot be imported, and say why
    expect(imp.stdout).toContain('1003.hea: signal file 1003.dat is missing');
    const again = ecgatk('import', join(W, '100.hea'));
    expect(again.stdout).toMatch(/^unchanged\s+100/);
    const recs = JSON.parse(ecgatk('records', '--json').stdout) as { name: string; durationSeconds: number; leads: { name: string }[]; classCounts: Record<string, number> }[];
    const r100 = recs.find((r) => r.name === '100')!;
    expect(r100.durationSeconds).toBeCloseTo(650000 / 360, 6);
    expect(r100.leads.map((l) => l.name)).toEqual(['MLII', 'V5']);
    expect(r100.classCounts).toMatchObject({ N: 2239, S: 33, V: 1, F: 0, Q: 0 });
    const ptb = recs.find((r) => r.name === 's0010_re')!;
    expect(ptb.leads.length).toBe(15);
    expect(ptb.durationSeconds).toBeCloseTo(38.4, 6);
  });

  it('dataset build prints class counts that match the reference annotations, and dataset list shows it', () => {
    const r = ecgatk('dataset', 'build', join(SHARED_DATA, 'mitdb', '100.hea'), join(SHARED_DATA, 'mitdb', '101.hea'), '--name', 'two', '--preset', 'benchmark', '--classes', '5', '--split', 'random', '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/two .*beats of 187 samples at 125 Hz, 5 classes, split random/);
    // 100: 2239 N, 33 A, 1 V; 101: 1860 N, 3 A, 2 Q (the database's reference annotations).
    expect(r.stdout).toMatch(/reference annotations \{"N":4099,"S":36,"V":1,"F":0,"Q":2\}/);
    const list = JSON.parse(ecgatk('dataset', 'list', '--json').stdout) as { name: string; beats: number }[];
    expect(list.map((d) => d.name)).toEqual(['two']);
    const bad = ecgatk('dataset', 'build', W, '--name', 'x', '--classes', '7');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--classes: must be 4 or 5');
  });
});
