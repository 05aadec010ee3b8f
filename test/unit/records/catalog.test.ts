import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { tempApp, SHARED_DATA } from '../../helpers.ts';
import { importPaths, expandPaths } from '../../../src-main/records/import.ts';
import { readAnnotations } from '../../../src-main/signals/wfdb/annotations.ts';
import { parseHeader } from '../../../src-main/signals/wfdb/header.ts';
import { deidentifyInfo, deidentifyDate, deidentifyEdfPatient, type Change } from '../../../src-main/records/deidentify.ts';

const W = join(SHARED_DATA, 'wfdb');
const apps: (() => void)[] = [];
afterAll(() => apps.forEach((c) => c()));

describe('record import and catalog', () => {
  it('imports the sample folder; reports files it cannot import; re-import is a no-op', async () => {
    const t = await tempApp();
    apps.push(t.cleanup);
    const items = await importPaths(t.ctx.catalog, [W], { deidentify: true });
    const failed = items.filter((i) => i.status === 'failed');
    expect(failed.map((f) => f.error)).toEqual(['1003.hea: signal file 1003.dat is missing', 'test_edfann.edf: EDF file has no signals (only annotations)']);
    expect(items.filter((i) => i.status === 'imported').length).toBe(items.length - 2);
    // The multi-segment record is imported once, through its master header.
    expect(items.filter((i) => i.name?.startsWith('041s')).map((i) => i.name)).toEqual(['041s']);

    const r100 = t.ctx.catalog.list().find((r) => r.name === '100')!;
    expect(r100).toMatchObject({ format: 'wfdb', numFrames: 650000, frequency: 360, classCounts: { N: 2239, S: 33, V: 1, F: 0, Q: 0, other: 1 } });
    expect(r100.durationSeconds).toBeCloseTo(1805.556, 2);
    expect(r100.leads.map((l) => l.name)).toEqual(['MLII', 'V5']);
    expect(r100.files.map((f) => f.path.split('/').pop())).toEqual(['100.atr', '100.dat', '100.hea']);

    const before = t.ctx.store.audit.list(1000).length;
    const again = await importPaths(t.ctx.catalog, [W], { deidentify: true });
    expect(again.filter((i) => i.status !== 'failed').every((i) => i.status === 'unchanged')).toBe(true);
    expect(t.ctx.store.audit.list(1000).length).toBe(before);
    expect(t.ctx.store.audit.verify().ok).toBe(true);
  });

  it('answers "beats between t0 and t1" from the index', async () => {
    const t = await tempApp();
    apps.push(t.cleanup);
    const [item] = await importPaths(t.ctx.catalog, [join(W, '100.hea')], { deidentify: true });
    const anns = t.ctx.catalog.annotationsBetween(item!.recordId!, 3600, 7200);
    const file = (await readAnnotations(join(W, '100.atr'))).annotations.filter((a) => a.sample >= 3600 && a.sample < 7200);
    expect(anns.map((a) => a.sample)).toEqual(file.map((a) => a.sample));
    expect(anns.length).toBeGreaterThan(10);
    expect(anns[0]).toMatchObject({ aami: expect.stringMatching(/^[NSV]$/), source: 'reference' });
  });

  it('records without annotations get detector beats; a corrupt file writes nothing', async () => {
    const t = await tempApp();
    apps.push(t.cleanup);
    const items = await importPaths(t.ctx.catalog, [join(W, 'test01_00s.hea')], { deidentify: true });
    const rec = t.ctx.catalog.get(items[0]!.recordId!);
    expect(rec.classCounts.detected).toBeGreaterThan(5);
    const dir = mkdtempSync(join(tmpdir(), 'ecgatk-bad-'));
    copyFileSync(join(W, '100.hea'), join(dir, '100.hea'));
    copyFileSync(join(W, '100_3chan.dat'), join(dir, '100.dat'));
    const bad = await importPaths(t.ctx.catalog, [dir], { deidentify: true });
    expect(bad[0]!.status).toBe('failed');
    expect(bad[0]!.error).toMatch(/^100\.dat: truncated: the header declares 650000 samples/);
    expect(t.ctx.catalog.list().map((r) => r.name)).toEqual(['test01_00s']);
  });

  it('de-identifies the PTB header on import and audits what changed', async () => {
    const t = await tempApp();
    apps.push(t.cleanup);
    await importPaths(t.ctx.catalog, [join(W, 's0010_re.hea')], { deidentify: true });
    const rec = t.ctx.catalog.resolve('s0010_re');
    expect(rec.deidentified).toBe(true);
    expect(rec.info).toContain('Admission date: [date]');
    expect(rec.info.join('\n')).not.toMatch(/29-Sep-90/);
    const entry = t.ctx.store.audit.list(5).find((e: { action: string }) => e.action === 'record.import')!;
    const changes = (entry.details as { deidentification: { file: string; field: string; kind: string }[] }).deidentification;
    expect(changes).toContainEqual({ file: 's0010_re.hea', field: `info[${parseHeader(readFileSync(join(W, 's0010_re.hea'), 'utf8'), 's0010_re.hea').info.indexOf('Admission date: 29-Sep-90')}]`, kind: 'date' });
    expect(JSON.stringify(entry.details)).not.toContain('29-Sep-90');
  });

  it('de-identification rules', () => {
    const changes: Change[] = [];
    expect(deidentifyDate('15/08/1994', 'startDate', changes)).toBe('1994');
    const d = deidentifyInfo(['age: 93', '95 F 1085 1629 x1', 'age: 54', 'Referring physician: Dr. Smith', 'Admission date: 29-Sep-90', 'Echo 2001-03-04']);
    expect(d.lines).toEqual(['age: 90+', '90+ F 1085 1629 x1', 'age: 54', 'Admission date: [date]', 'Echo 2001']);
    expect(d.changes).toEqual<Change[]>([
      { field: 'info[0]', kind: 'age' },
      { field: 'info[1]', kind: 'age' },
      { field: 'info[3]', kind: 'name-line' },
      { field: 'info[4]', kind: 'date' },
      { field: 'info[5]', kind: 'date' },
    ]);
  });

  it('EDF+ patient fields lose code and name, and keep only the birth year', () => {
    expect(deidentifyEdfPatient('MCH-0234567 F 02-MAY-1951 Haagse_Harry')).toBe('X F 1951 X');
    expect(deidentifyEdfPatient('X X X X')).toBe('X X X X');
    expect(deidentifyEdfPatient('Jane Doe')).toBe('X X X X');
    const d = deidentifyInfo(['EDF patient: MCH-0234567 F 02-MAY-1951 Haagse_Harry', 'EDF recording: Startdate 02-MAR-2002 PSG-1234/2002 NN Telemetry03']);
    expect(d.lines).toEqual(['EDF patient: X F 1951 X', 'EDF recording: Startdate 2002 PSG-1234/2002 NN Telemetry03']);
  });

  it('folder expansion skips hidden files and unknown types', async () => {
    const files = await expandPaths([join(W, 'multi-segment')]);
    expect(files.map((f) => f.split('/').pop())).toEqual(['041s.hea']);
  });
});

describe('CSV and EDF import', () => {
  it('a signal CSV without a time column imports with a given frequency and gets detector beats', async () => {
    const { writeFileSync } = await import('node:fs');
    const t = await tempApp();
    apps.push(t.cleanup);
    const fs = 250;
    const rows = ['MLII'];
    for (let i = 0; i < fs * 20; i++) {
      const phase = i % fs; // one beat a second
      rows.push((phase < 5 ? phase / 5 : phase < 10 ? (10 - phase) / 5 : 0.02 * Math.sin(i / 7)).toFixed(4));
    }
    const p = join(t.dir, 'lead.csv');
    writeFileSync(p, rows.join('\n'));
    const [noFs] = await importPaths(t.ctx.catalog, [p], { deidentify: true });
    expect(noFs!.error).toMatch(/lead\.csv: no time column: give the sampling frequency/);
    const [ok] = await importPaths(t.ctx.catalog, [p], { deidentify: true, csvFrequency: fs });
    expect(ok!.status).toBe('imported');
    const rec = t.ctx.catalog.get(ok!.recordId!);
    expect(rec).toMatchObject({ format: 'csv', frequency: 250, numFrames: 5000, leads: [{ name: 'MLII', frequency: 250 }] });
    expect(rec.classCounts.detected).toBeGreaterThanOrEqual(18);
    expect(rec.classCounts.detected).toBeLessThanOrEqual(20);
  });

  it('an EDF file imports with its leads and de-identified patient field', async () => {
    const t = await tempApp();
    apps.push(t.cleanup);
    const [item] = await importPaths(t.ctx.catalog, [join(W, 'test_generator_2.edf')], { deidentify: true });
    const rec = t.ctx.catalog.get(item!.recordId!);
    expect(rec).toMatchObject({ format: 'edf', frequency: 200, numFrames: 120000, startDate: '2009' });
    expect(rec.leads.length).toBe(11);
    expect(rec.info[0]).toBe('EDF patient: X X X X');
  });
});

describe('record identity and cheap re-import', () => {
  /** A copy of MIT-BIH record 100 (header, signals, annotations) in a new folder. */
  function copyOf100(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ecgatk-r100-'));
    for (const f of ['100.hea', '100.dat', '100.atr']) copyFileSync(join(W, f), join(dir, f));
    apps.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('tells same-named records from two folders apart: an ambiguous name lists the candidates, folder/name or id picks one', async () => {
    const t = await tempApp();
    apps.push(t.cleanup);
    const [a, b] = [copyOf100(), copyOf100()];
    const items = await importPaths(t.ctx.catalog, [a, b], { deidentify: true });
    expect(items.map((i) => i.status)).toEqual(['imported', 'imported']);
    const list = t.ctx.catalog.list();
    expect(list.map((r) => r.folder).sort()).toEqual([a, b].sort());
    let err: unknown = null;
    try {
      t.ctx.catalog.resolve('100');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`${a}/100`) });
    expect((err as Error).message).toContain(`${b}/100`);
    expect(t.ctx.catalog.resolve(`${b}/100`).folder).toBe(b);
    expect(t.ctx.catalog.resolve(join(a, '100.hea')).folder).toBe(a);
    const idOfB = list.find((r) => r.folder === b)!.id;
    expect(t.ctx.catalog.resolve(String(idOfB)).folder).toBe(b);
    expect(() => t.ctx.catalog.resolve('999')).toThrow(/No record "999"/);
  });

  it('skips an unchanged file by size and mtime without reading it; a touched file is hashed again', async () => {
    const t = await tempApp();
    apps.push(t.cleanup);
    const dir = copyOf100();
    await importPaths(t.ctx.catalog, [dir], { deidentify: true });
    // Same size and mtime but other bytes: only a skip that never reads the file calls this unchanged.
    const dat = join(dir, '100.dat');
    const st = statSync(dat);
    const bytes = readFileSync(dat);
    bytes[1000] = bytes[1000]! ^ 0xff;
    writeFileSync(dat, bytes);
    utimesSync(dat, st.atime, st.mtime);
    expect((await importPaths(t.ctx.catalog, [dir], { deidentify: true }))[0]!.status).toBe('unchanged');
    // A new mtime makes it read, hash and see the change (the checksum now fails: reported by name).
    utimesSync(dat, st.atime, new Date(st.mtimeMs + 5000));
    const again = (await importPaths(t.ctx.catalog, [dir], { deidentify: true }))[0]!;
    expect(again.status).toBe('failed');
    expect(again.error).toMatch(/^100\.dat: checksum mismatch/);
  });
});
