// The record list's filtering, sorting and paging over thousands of generated catalog rows.
import { describe, it, expect } from 'vitest';
import type { RecordRhythms, RecordSummary } from '../../../src-shared/contract/index.ts';
import { RecordSummary as RecordSummarySchema } from '../../../src-shared/contract/index.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';
import {
  ariaSort,
  CLASS_KEYS,
  facets,
  filterRows,
  folderLabels,
  NO_FILTER,
  nextSort,
  pageOf,
  sortRows,
  toRows,
  view,
  type RecordRow,
  type SortKey,
} from '../../../src-renderer/records/table-model.ts';
import { planUploads, recordStem } from '../../../src-renderer/records/upload-plan.ts';

const FOLDERS = ['/data/physionet/mitdb', '/data/physionet/ltafdb', '/home/ann/study/mitdb', 'C:\\ECG\\edf', '/srv/ecgatk/uploads/2026-11-24T20-31-51-123Z-0a1b2c3d'];
const RHYTHMS = ['(N', '(AFIB', '(AFL', '(B', '(VT', '(SBR'];
const LEADS = [['MLII', 'V1'], ['ECG'], ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']];

/** n catalog summaries with random but valid contents; names repeat across folders. */
function generate(n: number, seed = 7): { records: RecordSummary[]; rhythms: RecordRhythms[] } {
  const rng = mulberry32(seed);
  const int = (k: number): number => Math.floor(rng() * k);
  const records: RecordSummary[] = [];
  const rhythms: RecordRhythms[] = [];
  for (let id = 1; id <= n; id++) {
    const folder = FOLDERS[int(FOLDERS.length)]!;
    const sep = folder.includes('\\') ? '\\' : '/';
    const name = String(100 + int(n / 3));
    const frequency = [128, 250, 360, 1000][int(4)]!;
    const numFrames = frequency * (10 + int(86_400));
    const leads = LEADS[int(LEADS.length)]!.map((l) => ({ name: l, units: 'mV', frequency }));
    const c = () => (rng() < 0.4 ? 0 : int(3000));
    records.push(
      RecordSummarySchema.parse({
        id,
        name,
        format: folder.endsWith('edf') ? 'edf' : 'wfdb',
        sourcePath: `${folder}${sep}${name}.hea`,
        folder,
        contentHash: 'x'.repeat(64),
        frequency,
        numFrames,
        durationSeconds: numFrames / frequency,
        startTime: null,
        startDate: null,
        leads,
        info: [],
        classCounts: { N: c(), S: c(), V: c(), F: c(), Q: c(), other: 0, detected: rng() < 0.1 ? int(5000) : 0 },
        annotator: 'atr',
        deidentified: true,
        importedAt: '2026-11-24T00:00:00Z',
        files: [],
      }),
    );
    const labels = RHYTHMS.filter(() => rng() < 0.3).sort();
    if (labels.length) rhythms.push({ recordId: id, labels });
  }
  return { records, rhythms };
}

const { records, rhythms } = generate(5000);
const rows = toRows(records, rhythms);
const KEYS: SortKey[] = ['name', 'folder', 'format', 'leads', 'duration', ...CLASS_KEYS, 'detected', 'rhythms', 'mismatches'];

describe('record rows', () => {
  it('carry folder, leads, duration, counts and rhythm labels of each summary', () => {
    expect(rows).toHaveLength(5000);
    for (const [i, r] of rows.entries()) {
      const s = records[i]!;
      expect(s.sourcePath.startsWith(r.folder)).toBe(true);
      expect(r.leadCount).toBe(s.leads.length);
      expect(r.durationSeconds).toBe(s.numFrames / s.frequency);
      expect(r.counts.V).toBe(s.classCounts.V);
      expect(r.rhythms).toEqual(rhythms.find((x) => x.recordId === s.id)?.labels ?? []);
      expect(r.mismatches).toBeNull();
    }
  });

  it('label folders by the fewest trailing parts that tell them apart, uploads by their time', () => {
    const labels = folderLabels(FOLDERS);
    expect(labels.get('/data/physionet/mitdb')).toBe('physionet/mitdb');
    expect(labels.get('/home/ann/study/mitdb')).toBe('study/mitdb');
    expect(labels.get('/data/physionet/ltafdb')).toBe('ltafdb');
    expect(labels.get('C:\\ECG\\edf')).toBe('edf');
    expect(labels.get(FOLDERS[4]!)).toBe('upload 2026-11-24 20:31:51');
    // Same-named records from different folders stay distinguishable.
    const dup = rows.filter((r) => r.name === rows[0]!.name);
    expect(new Set(dup.map((r) => `${r.folderLabel}/${r.name}`)).size).toBe(new Set(dup.map((r) => r.folder)).size);
  });
});

describe('filtering', () => {
  it('keeps exactly the rows matching every criterion', () => {
    const f = { ...NO_FILTER, folder: '/data/physionet/mitdb', hasClass: 'V' as const, rhythm: '(AFIB', leadCount: 2 };
    const got = filterRows(rows, f);
    const want = rows.filter((r) => r.folder === f.folder && r.counts.V > 0 && r.rhythms.includes('(AFIB') && r.leadCount === 2);
    expect(want.length).toBeGreaterThan(10);
    expect(got.map((r) => r.id)).toEqual(want.map((r) => r.id));
  });

  it('searches words in any order across name, folder, leads and spelled-out rhythms', () => {
    const name = rows[42]!.name;
    expect(filterRows(rows, { ...NO_FILTER, text: name }).every((r) => r.name.includes(name) || r.folder.includes(name))).toBe(true);
    const afib = filterRows(rows, { ...NO_FILTER, text: 'atrial FIBRILLATION' });
    expect(afib.map((r) => r.id)).toEqual(rows.filter((r) => r.rhythms.includes('(AFIB')).map((r) => r.id));
    const both = filterRows(rows, { ...NO_FILTER, text: 'ltafdb aVF' });
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((r) => r.folder.endsWith('ltafdb') && r.leadNames.includes('aVF'))).toBe(true);
    expect(filterRows(rows, { ...NO_FILTER, text: 'no-such-record' })).toEqual([]);
  });
});

describe('sorting', () => {
  it('orders every column in both directions, ties by name then folder, empty values last', () => {
    for (const key of KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        const sorted = sortRows(rows, { key, dir });
        expect(sorted).toHaveLength(rows.length);
        expect(new Set(sorted.map((r) => r.id)).size).toBe(rows.length);
        for (let i = 1; i < sorted.length; i++) {
          const a = sorted[i - 1]!;
          const b = sorted[i]!;
          if (key === 'duration') expect(dir === 'asc' ? a.durationSeconds <= b.durationSeconds : a.durationSeconds >= b.durationSeconds).toBe(true);
          if (key === 'V') expect(dir === 'asc' ? a.counts.V <= b.counts.V : a.counts.V >= b.counts.V).toBe(true);
          if (key === 'rhythms') expect(a.rhythms.length === 0 && b.rhythms.length > 0).toBe(false);
        }
      }
    }
  });

  it('compares names as numbers where they are numbers (100 before 1000)', () => {
    const mk = (id: number, name: string): RecordRow => ({ ...rows[0]!, id, name });
    expect(sortRows([mk(1, '1000'), mk(2, '100'), mk(3, '99'), mk(4, 's0010_re')], { key: 'name', dir: 'asc' }).map((r) => r.name)).toEqual(['99', '100', '1000', 's0010_re']);
  });

  it('flips direction on the same header and reports aria-sort', () => {
    const s1 = nextSort({ key: 'name', dir: 'asc' }, 'duration');
    expect(s1).toEqual({ key: 'duration', dir: 'asc' });
    const s2 = nextSort(s1, 'duration');
    expect(s2).toEqual({ key: 'duration', dir: 'desc' });
    expect(ariaSort(s2, 'duration')).toBe('descending');
    expect(ariaSort(s1, 'duration')).toBe('ascending');
    expect(ariaSort(s2, 'name')).toBe('none');
  });
});

describe('paging and facets', () => {
  it('pages cover the filtered, sorted rows once each, and a page past the end is clamped', () => {
    const f = { ...NO_FILTER, hasClass: 'S' as const };
    const all = sortRows(filterRows(rows, f), { key: 'duration', dir: 'desc' });
    const size = 100;
    const seen: number[] = [];
    const first = view(rows, f, { key: 'duration', dir: 'desc' }, 0, size);
    expect(first.total).toBe(all.length);
    for (let p = 0; p < first.pages; p++) {
      const page = view(rows, f, { key: 'duration', dir: 'desc' }, p, size);
      expect(page.first).toBe(p * size + 1);
      seen.push(...page.rows.map((r) => r.id));
    }
    expect(seen).toEqual(all.map((r) => r.id));
    const past = pageOf(all, 10_000, size);
    expect(past.page).toBe(first.pages - 1);
    expect(past.last).toBe(all.length);
    expect(pageOf([], 0, size)).toMatchObject({ rows: [], page: 0, pages: 1, first: 0, last: 0 });
  });

  it('offer each folder, lead count and rhythm with its record count', () => {
    const fx = facets(rows);
    expect(fx.folders.reduce((s, f) => s + f.count, 0)).toBe(rows.length);
    expect(fx.folders.map((f) => f.folder).sort()).toEqual([...FOLDERS].sort());
    expect(fx.leadCounts).toEqual([1, 2, 12]);
    for (const r of fx.rhythms) expect(r.count).toBe(rows.filter((x) => x.rhythms.includes(r.label)).length);
  });
});

describe('upload plan', () => {
  const f = (name: string, size = 10): { name: string; size: number } => ({ name, size });

  it('keeps the files of a record together and puts same-named records in separate uploads', () => {
    expect(recordStem('100.hea')).toBe('100');
    expect(recordStem('s0010_re.xyz')).toBe('s0010_re');
    const plan = planUploads([f('100.hea'), f('100.dat'), f('100.atr'), f('101.hea'), f('101.dat'), f('100.hea'), f('100.dat'), f('.DS_Store')], 1000);
    expect(plan.notes).toEqual([]);
    expect(plan.batches.map((b) => b.map((x) => x.name))).toEqual([['100.hea', '100.dat', '100.atr', '101.hea', '101.dat'], ['100.hea', '100.dat']]);
  });

  it('leaves out signal files without their header, and records over the limit, saying why', () => {
    const plan = planUploads([f('102.dat'), f('102.atr'), f('big.edf', 5000), f('x.csv')], 1000);
    expect(plan.batches.map((b) => b.map((x) => x.name))).toEqual([['x.csv']]);
    expect(plan.notes[0]).toMatch(/^102\.dat, 102\.atr: no 102\.hea/);
    expect(plan.notes[1]).toMatch(/^big: 5000 bytes is over the upload limit/);
  });

  it('starts a new upload when the next record would not fit', () => {
    const plan = planUploads([f('a.edf', 600), f('b.edf', 600), f('c.csv', 300)], 1000);
    expect(plan.batches.map((b) => b.map((x) => x.name))).toEqual([['a.edf', 'c.csv'], ['b.edf']]);
  });
});
