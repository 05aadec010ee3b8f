// The record list as data: rows derived from the catalog, then filtered, sorted and paged.
// Pure (no React, no DOM) so thousands of records are tested without a browser.
import type { RecordRhythms, RecordSummary } from '../../src-shared/contract/index.ts';
import { rhythmName } from '../../src-shared/rhythms.ts';

export const CLASS_KEYS = ['N', 'S', 'V', 'F', 'Q'] as const;
export type ClassKey = (typeof CLASS_KEYS)[number];

export interface RecordRow {
  id: number;
  name: string;
  /** Full source folder; tells same-named records apart. */
  folder: string;
  /** Shortest trailing part of the folder that no other folder in the list shares (e.g. "mitdb"). */
  folderLabel: string;
  format: RecordSummary['format'];
  leadNames: string[];
  leadCount: number;
  durationSeconds: number;
  counts: Record<ClassKey, number>;
  detected: number;
  rhythms: string[];
  /** Prediction mismatches; null until a model has been run on the record. */
  mismatches: number | null;
}

export type SortKey = 'name' | 'folder' | 'format' | 'leads' | 'duration' | ClassKey | 'detected' | 'rhythms' | 'mismatches';
export type SortDir = 'asc' | 'desc';
export interface Sort {
  key: SortKey;
  dir: SortDir;
}

export interface Filter {
  /** Words that must all appear in the name, folder, format, lead names or rhythm labels. */
  text: string;
  folder: string | null;
  leadCount: number | null;
  /** Only records with at least one beat of this class. */
  hasClass: ClassKey | null;
  rhythm: string | null;
}
export const NO_FILTER: Filter = { text: '', folder: null, leadCount: null, hasClass: null, rhythm: null };
export function isNoFilter(f: Filter): boolean {
  return f.text.trim() === '' && f.folder === null && f.leadCount === null && f.hasClass === null && f.rhythm === null;
}
export const DEFAULT_SORT: Sort = { key: 'name', dir: 'asc' };

/** m:ss, or h:mm:ss from an hour on. */
export function fmtDuration(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(Math.floor(s % 60)).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function splitPath(p: string): string[] {
  return p.split(/[/\\]+/).filter(Boolean);
}

/** Uploaded files live in <data>/uploads/<ISO time with - for :>-<hex>; show them as "upload <date time>". */
function uploadLabel(parts: string[]): string | null {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-\d+Z-[0-9a-f]+$/.exec(parts.at(-1) ?? '');
  return parts.at(-2) === 'uploads' && m ? `upload ${m[1]} ${m[2]}:${m[3]}:${m[4]}` : null;
}

/** For each folder, the fewest trailing path parts that tell it apart from every other folder. */
export function folderLabels(folders: Iterable<string>): Map<string, string> {
  const unique = [...new Set(folders)];
  const parts = new Map(unique.map((f) => [f, splitPath(f)]));
  const out = new Map<string, string>();
  for (const f of unique) {
    const mine = parts.get(f)!;
    const upload = uploadLabel(mine);
    if (upload) {
      out.set(f, upload);
      continue;
    }
    let n = 1;
    const suffix = (p: string[], k: number): string => p.slice(-k).join('/');
    while (n < mine.length && unique.some((g) => g !== f && suffix(parts.get(g)!, n) === suffix(mine, n))) n += 1;
    out.set(f, suffix(mine, n) || f);
  }
  return out;
}

export function toRows(records: readonly RecordSummary[], rhythms: readonly RecordRhythms[] = [], mismatches: ReadonlyMap<number, number> = new Map()): RecordRow[] {
  const rhythmsOf = new Map(rhythms.map((r) => [r.recordId, r.labels]));
  const labels = folderLabels(records.map((r) => r.folder));
  return records.map((r) => {
    const folder = r.folder;
    return {
      id: r.id,
      name: r.name,
      folder,
      folderLabel: labels.get(folder) ?? folder,
      format: r.format,
      leadNames: r.leads.map((l) => l.name),
      leadCount: r.leads.length,
      durationSeconds: r.durationSeconds,
      counts: { N: r.classCounts.N, S: r.classCounts.S, V: r.classCounts.V, F: r.classCounts.F, Q: r.classCounts.Q },
      detected: r.classCounts.detected,
      rhythms: rhythmsOf.get(r.id) ?? [],
      mismatches: mismatches.get(r.id) ?? null,
    };
  });
}

function haystack(r: RecordRow): string {
  return [r.name, r.folder, r.folderLabel, r.format, ...r.leadNames, ...r.rhythms, ...r.rhythms.map(rhythmName)].join('\n').toLowerCase();
}

export function filterRows(rows: readonly RecordRow[], f: Filter): RecordRow[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter(
    (r) =>
      (f.folder === null || r.folder === f.folder) &&
      (f.leadCount === null || r.leadCount === f.leadCount) &&
      (f.hasClass === null || r.counts[f.hasClass] > 0) &&
      (f.rhythm === null || r.rhythms.includes(f.rhythm)) &&
      (words.length === 0 || ((h) => words.every((w) => h.includes(w)))(haystack(r))),
  );
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The value a column sorts by; null sorts last in either direction. */
function sortValue(r: RecordRow, key: SortKey): string | number | null {
  switch (key) {
    case 'name':
      return r.name;
    case 'folder':
      return r.folderLabel;
    case 'format':
      return r.format;
    case 'leads':
      return r.leadCount;
    case 'duration':
      return r.durationSeconds;
    case 'detected':
      return r.detected;
    case 'rhythms':
      return r.rhythms.length ? r.rhythms.join(' ') : null;
    case 'mismatches':
      return r.mismatches;
    default:
      return r.counts[key];
  }
}

function compareValues(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
}

/** Sorted copy; ties fall back to name, then folder, then id, so the order is total and stable. */
export function sortRows(rows: readonly RecordRow[], s: Sort): RecordRow[] {
  const sign = s.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, s.key);
    const vb = sortValue(b, s.key);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else {
      const c = compareValues(va, vb);
      if (c !== 0) return sign * c;
    }
    return collator.compare(a.name, b.name) || collator.compare(a.folder, b.folder) || a.id - b.id;
  });
}

/** Clicking a header: the same column flips direction, another column starts ascending. */
export function nextSort(current: Sort, key: SortKey): Sort {
  return current.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' };
}

export function ariaSort(current: Sort, key: SortKey): 'ascending' | 'descending' | 'none' {
  return current.key !== key ? 'none' : current.dir === 'asc' ? 'ascending' : 'descending';
}

export interface Page {
  rows: RecordRow[];
  /** Zero-based page shown (clamped to the pages there are). */
  page: number;
  pages: number;
  /** 1-based numbers of the first and last row shown; 0 and 0 when there are none. */
  first: number;
  last: number;
  total: number;
}

export function pageOf(rows: readonly RecordRow[], page: number, size: number): Page {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const slice = rows.slice(p * size, (p + 1) * size);
  return { rows: slice, page: p, pages, first: slice.length ? p * size + 1 : 0, last: p * size + slice.length, total: rows.length };
}

export interface Facets {
  folders: { folder: string; label: string; count: number }[];
  leadCounts: number[];
  rhythms: { label: string; count: number }[];
}

/** The choices the filter controls offer, with how many records each matches. */
export function facets(rows: readonly RecordRow[]): Facets {
  const folders = new Map<string, { folder: string; label: string; count: number }>();
  const leads = new Set<number>();
  const rhythms = new Map<string, number>();
  for (const r of rows) {
    const f = folders.get(r.folder) ?? { folder: r.folder, label: r.folderLabel, count: 0 };
    f.count += 1;
    folders.set(r.folder, f);
    leads.add(r.leadCount);
    for (const l of r.rhythms) rhythms.set(l, (rhythms.get(l) ?? 0) + 1);
  }
  return {
    folders: [...folders.values()].sort((a, b) => collator.compare(a.label, b.label)),
    leadCounts: [...leads].sort((a, b) => a - b),
    rhythms: [...rhythms].map(([label, count]) => ({ label, count })).sort((a, b) => collator.compare(a.label, b.label)),
  };
}

/** Filter, sort and page in one step, as the table shows it. */
export function view(rows: readonly RecordRow[], f: Filter, s: Sort, page: number, size: number): Page {
  return pageOf(sortRows(filterRows(rows, f), s), page, size);
}
