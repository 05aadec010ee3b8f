// Golden tests on the real WFDB sample records in ../shared/data.
import { describe, it, expect } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_DATA } from '../../helpers.ts';
import { parseHeader } from '../../../src-main/signals/wfdb/header.ts';
import { openWfdbRecord, readWfdbWindow, computeChecksums, verifyChecksums, toPhysical, INVALID } from '../../../src-main/signals/wfdb/record.ts';
import { decode } from '../../../src-main/signals/wfdb/formats.ts';
import { loadRecord } from '../../../src-main/records/sources.ts';

const W = join(SHARED_DATA, 'wfdb');
const hea = (name: string): string => join(W, `${name}.hea`);

describe('WFDB header', () => {
  it('parses record 100 with spec defaults and info lines', () => {
    const h = parseHeader(readFileSync(hea('100'), 'utf8'), '100.hea');
    expect(h).toMatchObject({ recordName: '100', numSignals: 2, samplingFrequency: 360, numSamples: 650000, baseTime: null });
    expect(h.signals[0]).toMatchObject({ fileName: '100.dat', format: 212, gain: 200, baseline: 1024, units: 'mV', adcResolution: 11, adcZero: 1024, initialValue: 995, checksum: -22131, description: 'MLII' });
    expect(h.info).toEqual(['69 M 1085 1629 x1', 'Aldomet, Inderal']);
  });

  it('reads frame specs, skew, baselines in parentheses, units, base time and date', () => {
    const h = parseHeader(readFileSync(hea('03700181'), 'utf8'), '03700181.hea');
    expect(h).toMatchObject({ samplingFrequency: 125, baseTime: '17:27:45', baseDate: '15/08/1994' });
    expect(h.signals[0]).toMatchObject({ samplesPerFrame: 4, gain: 2963.77, units: 'mV' });
    expect(h.signals[1]).toMatchObject({ gain: 12.84, baseline: -1605, units: 'mmHg' });
    expect(h.signals[2]).toMatchObject({ skew: 4, gain: 2000, gainWasDefault: false });
  });

  it('applies the default gain of 200 when the gain is absent or 0', () => {
    const h = parseHeader('x 2 100 10\nx.dat 16\nx.dat 16 0\n', 'x.hea');
    expect(h.signals.map((s) => [s.gain, s.gainWasDefault, s.adcResolution, s.description])).toEqual([
      [200, true, 16, 'record x, signal 0'],
      [200, true, 16, 'record x, signal 1'],
    ]);
  });

  it('parses multi-segment headers', () => {
    const h = parseHeader(readFileSync(join(W, 'multi-segment/041s/041s.hea'), 'utf8'), '041s.hea');
    expect(h).toMatchObject({ recordName: '041s', numSegments: 2, numSignals: 7, numSamples: 2000, segments: [{ name: '041s01', numSamples: 1000 }, { name: '041s02', numSamples: 1000 }] });
  });

  it.each([
    ['', /no record line/],
    ['100 2 360 650000\n100.dat 212 200\n', /declares 2 signals but describes 1/],
    ['100 2 abc\n', /sampling frequency/],
    ['r 1 360 10\nr.dat 999 200\n', /format 999 is not supported/],
    ['r 1 360 10\nr.dat 16 2x0/mV\n', /gain field/],
    ['r 1 360 -5\n', /negative/],
  ])('rejects a malformed header with a message naming the file (%#)', (text, msg) => {
    expect(() => parseHeader(text, '/data/bad.hea')).toThrow(msg);
    expect(() => parseHeader(text, '/data/bad.hea')).toThrow(/^bad\.hea: /);
  });
});

describe('WFDB signals', () => {
  it('record 100: first samples are the header initial values, checksums match, 650000 frames', async () => {
    const rec = await openWfdbRecord(hea('100'));
    expect(rec.numFrames).toBe(650000);
    const w = await readWfdbWindow(rec, { from: 0, to: 1 });
    expect(w.map((s) => s.raw[0])).toEqual([995, 1011]);
    const cs = await verifyChecksums(rec);
    expect(cs.map((c) => [c.expected, c.actual])).toEqual([
      [-22131, -22131],
      [20052, 20052],
    ]);
    expect(toPhysical(w[0]!)[0]).toBeCloseTo((995 - 1024) / 200, 6);
  });

  it('every sample record reads and matches every header checksum', async () => {
    const names = ['100', '100_3chan', '100skew', '100-no-len', 's0010_re', '03700181', 'v102s', 'p10143', 'binformats', 'test01_00s', 'test01_00s_skew', 'test01_00s_frame', 'test_generator_2', 'multi-segment/041s/041s'];
    for (const n of names) {
      const rec = await openWfdbRecord(hea(n));
      const cs = await computeChecksums(rec);
      expect(cs.length, n).toBeGreaterThan(0);
      expect(cs.filter((c) => !c.ok), n).toEqual([]);
    }
  });

  it('the PTB record reads all 15 leads from its two signal files', async () => {
    const rec = await openWfdbRecord(hea('s0010_re'));
    expect(rec.signals.map((s) => s.name)).toEqual(['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'vx', 'vy', 'vz']);
    expect(rec.files.map((f) => f.split('/').pop())).toEqual(['s0010_re.dat', 's0010_re.xyz']);
    const w = await readWfdbWindow(rec, { from: 0, to: 1 });
    expect(w.map((s) => s.raw[0])).toEqual(rec.header.signals.map((s) => s.initialValue));
  });

  it('binformats: all ten formats decode to their header initial values and checksums', async () => {
    const rec = await openWfdbRecord(hea('binformats'));
    expect(rec.signals.map((s) => s.format)).toEqual([8, 16, 61, 80, 160, 212, 310, 311, 24, 32]);
    const w = await readWfdbWindow(rec);
    expect(w.map((s) => s.raw[0])).toEqual(rec.header.signals.map((s) => s.initialValue));
    expect((await computeChecksums(rec)).every((c) => c.ok)).toBe(true);
    // 16-bit formats store the same waveform: LE, BE and offset binary agree sample by sample up to their stored offsets.
    const d16 = w[1]!.raw;
    const d61 = w[2]!.raw;
    const diff = d61[0]! - d16[0]!;
    expect(Array.from(d16).every((v, i) => d61[i]! - v === diff)).toBe(true);
  });

  it('skew delays a signal by its stated number of frames', async () => {
    const plain = await readWfdbWindow(await openWfdbRecord(hea('100')), { from: 0, to: 100 });
    const skewed = await readWfdbWindow(await openWfdbRecord(hea('100skew')), { from: 0, to: 100 });
    expect(Array.from(skewed[0]!.raw)).toEqual(Array.from(plain[0]!.raw));
    expect(Array.from(skewed[1]!.raw.slice(0, 97))).toEqual(Array.from(plain[1]!.raw.slice(3, 100)));
  });

  it('a header without a length takes it from the signal file', async () => {
    expect((await openWfdbRecord(hea('100-no-len'))).numFrames).toBe(650000);
  });

  it('samples per frame: 212x4 gives 4 samples per frame at 4× the rate', async () => {
    const rec = await openWfdbRecord(hea('03700181'));
    expect(rec.signals.map((s) => s.frequency)).toEqual([500, 125, 125]);
    const w = await readWfdbWindow(rec, { from: 10, to: 20 });
    expect(w.map((s) => s.raw.length)).toEqual([40, 10, 10]);
  });

  it('a window equals the same stretch of a full read (format 212, odd alignment)', async () => {
    const rec = await openWfdbRecord(hea('100_3chan'));
    const full = await readWfdbWindow(rec);
    const part = await readWfdbWindow(rec, { from: 333, to: 777 });
    part.forEach((s, k) => expect(Array.from(s.raw)).toEqual(Array.from(full[k]!.raw.slice(333, 777))));
  });

  it('multi-segment: segments are concatenated in order', async () => {
    const rec = await openWfdbRecord(join(W, 'multi-segment/041s/041s.hea'));
    const w = await readWfdbWindow(rec, { from: 999, to: 1001 });
    const first = (await readWfdbWindow(await openWfdbRecord(join(W, 'multi-segment/041s/041s01.hea')), { from: 999, to: 1000 }))[3]!.raw[0];
    const second = (await readWfdbWindow(await openWfdbRecord(join(W, 'multi-segment/041s/041s02.hea')), { from: 0, to: 1 }))[3]!.raw[0];
    expect([w[3]!.raw[0], w[3]!.raw[1]]).toEqual([first, second]);
  });

  it('a flipped byte in the signal file is caught as a checksum mismatch naming file and signal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecgatk-flip-'));
    copyFileSync(hea('100'), join(dir, '100.hea'));
    const dat = readFileSync(join(W, '100.dat'));
    dat[12345] = dat[12345]! ^ 0x01;
    writeFileSync(join(dir, '100.dat'), dat);
    await expect(verifyChecksums(await openWfdbRecord(join(dir, '100.hea')))).rejects.toThrow(/^100\.dat: checksum mismatch in signal \d \((MLII|V5)\)/);
  });

  it('a truncated signal file leaves gaps, not numbers, and fails its checksum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecgatk-trunc-'));
    copyFileSync(hea('100'), join(dir, '100.hea'));
    writeFileSync(join(dir, '100.dat'), readFileSync(join(W, '100.dat')).subarray(0, 3000));
    const rec = await openWfdbRecord(join(dir, '100.hea'));
    const w = await readWfdbWindow(rec, { from: 990, to: 1010 }); // 3000 bytes of 212 × 2 signals = 1000 frames
    expect(w[0]!.raw[9]).not.toBe(INVALID);
    expect(w[0]!.raw[10]).toBe(INVALID);
    expect(Number.isNaN(toPhysical(w[0]!)[15]!)).toBe(true);
    await expect(verifyChecksums(rec)).rejects.toThrow(/^100\.dat: truncated: the header declares 650000 samples per signal but the file holds 1000/);
  });

  it('a missing signal file is a clear error', async () => {
    await expect(openWfdbRecord(hea('1003'))).rejects.toThrow('1003.hea: signal file 1003.dat is missing');
  });

  it('format decoders: 212 pairs, 310 and 311 triplets, invalid markers', () => {
    const out = new Int32Array(3);
    // 212: samples 0x123 and -1 (0xFFF) → bytes 0x23, 0xF1, 0xFF
    expect(decode(212, Uint8Array.from([0x23, 0xf1, 0xff]), 2, out)).toBe(2);
    expect([out[0], out[1]]).toEqual([0x123, -1]);
    decode(212, Uint8Array.from([0x00, 0x08, 0x00]), 2, out);
    expect(out[0]).toBe(INVALID);
    // 311: 1, -1, 511 packed in bits 0-9, 10-19, 20-29
    const w = (1 | (0x3ff << 10) | (511 << 20)) >>> 0;
    decode(311, Uint8Array.from([w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff, (w >>> 24) & 0xff]), 3, out);
    expect(Array.from(out)).toEqual([1, -1, 511]);
    // 310: s0 = 5, s1 = -2, s2 = 300 (low 5 bits in word0 bits 11-15, high 5 bits in word1 bits 11-15)
    const w0 = (5 << 1) | ((300 & 0x1f) << 11);
    const w1 = ((-2 & 0x3ff) << 1) | ((300 >> 5) << 11);
    decode(310, Uint8Array.from([w0 & 0xff, w0 >> 8, w1 & 0xff, w1 >> 8]), 3, out);
    expect(Array.from(out)).toEqual([5, -2, 300]);
  });
});

describe('variable-layout multi-segment records (generated)', () => {
  it('maps signals by name across segments and leaves null segments and absent signals as gaps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecgatk-varlayout-'));
    const i16 = (vals: number[][]): Buffer => {
      const b = Buffer.alloc(vals.length * vals[0]!.length * 2);
      let o = 0;
      for (const frame of vals) for (const v of frame) o = b.writeInt16LE(v, o);
      return b;
    };
    writeFileSync(join(dir, 'rec.hea'), 'rec/4 2 100 60\nrec_layout 0\nsegA 20\n~ 10\nsegB 30\n');
    writeFileSync(join(dir, 'rec_layout.hea'), 'rec_layout 2 100 0\n~ 0 200 16 0 0 0 0 ECG\n~ 0 10/mmHg 16 0 0 0 0 ABP\n');
    writeFileSync(join(dir, 'segA.hea'), 'segA 2 100 20\nsegA.dat 16 200 16 0 0 0 0 ECG\nsegA.dat 16 10/mmHg 16 0 0 0 0 ABP\n');
    writeFileSync(join(dir, 'segA.dat'), i16(Array.from({ length: 20 }, (_, t) => [t, 1000 + t])));
    writeFileSync(join(dir, 'segB.hea'), 'segB 1 100 30\nsegB.dat 16 10/mmHg 16 0 0 0 0 ABP\n');
    writeFileSync(join(dir, 'segB.dat'), i16(Array.from({ length: 30 }, (_, t) => [2000 + t])));
    const rec = await openWfdbRecord(join(dir, 'rec.hea'));
    expect(rec.signals.map((s) => s.name)).toEqual(['ECG', 'ABP']);
    expect(rec.numFrames).toBe(60);
    const [ecg, abp] = await readWfdbWindow(rec);
    expect(Array.from(ecg!.raw.slice(18, 22))).toEqual([18, 19, INVALID, INVALID]);
    expect(ecg!.raw.slice(20).every((v) => v === INVALID)).toBe(true);
    expect(Array.from(abp!.raw.slice(19, 21))).toEqual([1019, INVALID]);
    expect(Array.from(abp!.raw.slice(29, 32))).toEqual([INVALID, 2000, 2001]);
    const win = await readWfdbWindow(rec, { from: 25, to: 35, signals: [1] });
    expect(Array.from(win[0]!.raw)).toEqual([INVALID, INVALID, INVALID, INVALID, INVALID, 2000, 2001, 2002, 2003, 2004]);
  });
});

describe('byte offsets (generated)', () => {
  it('skips the stated number of bytes before the samples, per file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecgatk-offset-'));
    const samples = Int16Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? i * 10 : -i));
    const junk = Buffer.from('HEADERJUNK'); // 10 bytes of a foreign file header
    writeFileSync(join(dir, 'off.dat'), Buffer.concat([junk, Buffer.from(samples.buffer)]));
    const sum = (k: number): number => (Array.from(samples).filter((_, i) => i % 2 === k).reduce((a, b) => a + b, 0) << 16) >> 16;
    writeFileSync(join(dir, 'off.hea'), `off 2 100 20\noff.dat 16+10 100 16 0 0 ${sum(0)} 0 a\noff.dat 16+10 100 16 0 -1 ${sum(1)} 0 b\n`);
    const rec = await openWfdbRecord(join(dir, 'off.hea'));
    expect(rec.numFrames).toBe(20);
    const [a, b] = await readWfdbWindow(rec);
    expect(Array.from(a!.raw.slice(0, 3))).toEqual([0, 20, 40]);
    expect(Array.from(b!.raw.slice(0, 3))).toEqual([-1, -3, -5]);
    expect((await verifyChecksums(rec)).every((c) => c.ok)).toBe(true);
  });
});

describe('files named by a header stay in its folder (generated)', () => {
  // A record folder inside a temp dir, with a "secret" file one level up that a header tries to reach.
  const setup = (): { dir: string; rec: string; secret: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'ecgatk-escape-'));
    const rec = join(dir, 'rec');
    mkdirSync(rec);
    const secret = join(dir, 'secret.dat');
    writeFileSync(secret, Buffer.alloc(40));
    return { dir, rec, secret };
  };

  it.each([
    ['a ../ path', '../secret.dat'],
    ['a ../ path inside a sub-folder name', 'sub/../../secret.dat'],
  ])('refuses a signal file given by %s', async (_what, name) => {
    const { rec } = setup();
    mkdirSync(join(rec, 'sub'));
    writeFileSync(join(rec, 'evil.hea'), `evil 1 100 20\n${name} 16 200 16 0 0 0 0 ECG\n`);
    await expect(openWfdbRecord(join(rec, 'evil.hea'))).rejects.toThrow(`evil.hea: signal file ${name} is outside the record's folder`);
  });

  it('refuses an absolute signal file path', async () => {
    const { rec, secret } = setup();
    writeFileSync(join(rec, 'evil.hea'), `evil 1 100 20\n${secret} 16 200 16 0 0 0 0 ECG\n`);
    await expect(openWfdbRecord(join(rec, 'evil.hea'))).rejects.toThrow(`evil.hea: signal file ${secret} is outside the record's folder`);
  });

  it('refuses a signal file that is a symbolic link leading out of the folder', async () => {
    const { rec, secret } = setup();
    symlinkSync(secret, join(rec, 'link.dat'));
    writeFileSync(join(rec, 'evil.hea'), 'evil 1 100 20\nlink.dat 16 200 16 0 0 0 0 ECG\n');
    await expect(openWfdbRecord(join(rec, 'evil.hea'))).rejects.toThrow("evil.hea: signal file link.dat is outside the record's folder");
  });

  it('refuses a segment header outside the master header\'s folder', async () => {
    const { dir, rec } = setup();
    writeFileSync(join(dir, 'seg.hea'), 'seg 1 100 20\nsecret.dat 16 200 16 0 0 0 0 ECG\n');
    writeFileSync(join(rec, 'evil.hea'), 'evil/1 1 100 20\n../seg 20\n');
    await expect(openWfdbRecord(join(rec, 'evil.hea'))).rejects.toThrow("evil.hea: segment header ../seg.hea is outside the record's folder");
  });

  it('refuses an annotator that leads out of the folder', async () => {
    const { rec } = setup();
    writeFileSync(join(rec, 'ok.dat'), Buffer.alloc(40));
    writeFileSync(join(rec, 'ok.hea'), 'ok 1 100 20\nok.dat 16 200 16 0 0 0 0 ECG\n');
    await expect(loadRecord(join(rec, 'ok.hea'), { annotator: '/../../secret' })).rejects.toThrow("ok.hea: annotation file ok./../../secret is outside the record's folder");
  });

  it('still reads signal files in the folder and in its sub-folders', async () => {
    const { rec } = setup();
    mkdirSync(join(rec, 'sub'));
    const samples = Int16Array.from({ length: 20 }, (_, i) => i * 3);
    writeFileSync(join(rec, 'sub', 'ok.dat'), Buffer.from(samples.buffer));
    writeFileSync(join(rec, 'ok.hea'), 'ok 1 100 20\nsub/ok.dat 16 200 16 0 0 0 0 ECG\n');
    const [w] = await readWfdbWindow(await openWfdbRecord(join(rec, 'ok.hea')));
    expect(Array.from(w!.raw)).toEqual(Array.from(samples));
  });
});
