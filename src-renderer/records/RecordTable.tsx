// The record list: search, filters, sortable headers (buttons with aria-sort), paging so
// thousands of records stay fast, and rows reachable by keyboard (one tab stop; arrows
// move, Enter opens the record).
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { RecordRhythms, RecordSummary } from '../../src-shared/contract/index.ts';
import { ariaSort, CLASS_KEYS, DEFAULT_SORT, facets, fmtDuration, isNoFilter, NO_FILTER, nextSort, toRows, view, type ClassKey, type Filter, type RecordRow, type Sort, type SortKey } from './table-model.ts';
import { rhythmName } from '../../src-shared/rhythms.ts';

const PAGE_SIZES = [50, 100, 250];
const CLASS_NAMES: Record<ClassKey, string> = { N: 'normal', S: 'supraventricular ectopic', V: 'ventricular ectopic', F: 'fusion', Q: 'paced or unclassifiable' };
const CLASS_TITLES: Record<ClassKey, string> = Object.fromEntries(CLASS_KEYS.map((c) => [c, `AAMI class ${c}: ${CLASS_NAMES[c]} beats`])) as Record<ClassKey, string>;

function SortHeader({ sort, k, label, title, numeric, onSort }: { sort: Sort; k: SortKey; label: string; title?: string; numeric?: boolean; onSort: (k: SortKey) => void }) {
  const state = ariaSort(sort, k);
  return (
    <th aria-sort={state} scope="col" className={numeric ? 'num' : undefined}>
      <button type="button" className="sort-button" title={title} onClick={() => onSort(k)}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {state === 'ascending' ? '▲' : state === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}

export interface RecordTableProps {
  records: readonly RecordSummary[];
  rhythms: readonly RecordRhythms[];
  openId: number | null;
  onOpen: (id: number) => void;
}

export function RecordTable({ records, rhythms, openId, onOpen }: RecordTableProps) {
  const rows = useMemo(() => toRows(records, rhythms), [records, rhythms]);
  const fx = useMemo(() => facets(rows), [rows]);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const [page, setPage] = useState(0);
  const [size, setSize] = useState(100);
  const [focusRow, setFocusRow] = useState(0);
  const body = useRef<HTMLTableSectionElement>(null);
  const shown = useMemo(() => view(rows, filter, sort, page, size), [rows, filter, sort, page, size]);

  const change = (patch: Partial<Filter>): void => {
    setFilter((f) => ({ ...f, ...patch }));
    setPage(0);
    setFocusRow(0);
  };
  const onSort = (k: SortKey): void => {
    setSort((s) => nextSort(s, k));
    setPage(0);
  };
  useEffect(() => setFocusRow((i) => Math.min(i, Math.max(0, shown.rows.length - 1))), [shown.rows.length]);

  const focusAt = (i: number): void => {
    const n = shown.rows.length;
    if (n === 0) return;
    const j = Math.min(Math.max(0, i), n - 1);
    setFocusRow(j);
    body.current?.querySelectorAll<HTMLTableRowElement>('tr')[j]?.focus();
  };
  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, i: number, r: RecordRow): void => {
    const moves: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: shown.rows.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      focusAt(moves[e.key]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(r.id);
    }
  };

  return (
    <div className="panel record-list">
      <div className="row filters" role="search" aria-label="Find records">
        <input type="search" aria-label="Search records" placeholder="Search name, folder, lead, rhythm…" value={filter.text} onChange={(e) => change({ text: e.target.value })} />
        <label>
          Folder
          <select value={filter.folder ?? ''} onChange={(e) => change({ folder: e.target.value || null })}>
            <option value="">All folders</option>
            {fx.folders.map((f) => (
              <option key={f.folder} value={f.folder} title={f.folder}>
                {f.label} ({f.count})
              </option>
            ))}
          </select>
        </label>
        <label>
          Leads
          <select value={filter.leadCount ?? ''} onChange={(e) => change({ leadCount: e.target.value ? Number(e.target.value) : null })}>
            <option value="">Any</option>
            {fx.leadCounts.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Has beats of class
          <select value={filter.hasClass ?? ''} onChange={(e) => change({ hasClass: (e.target.value || null) as ClassKey | null })}>
            <option value="">Any</option>
            {CLASS_KEYS.map((c) => (
              <option key={c} value={c}>
                {c} — {CLASS_NAMES[c]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Rhythm
          <select value={filter.rhythm ?? ''} onChange={(e) => change({ rhythm: e.target.value || null })}>
            <option value="">Any</option>
            {fx.rhythms.map((r) => (
              <option key={r.label} value={r.label}>
                {rhythmName(r.label)} ({r.count})
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={isNoFilter(filter)} onClick={() => change(NO_FILTER)}>
          Clear filters
        </button>
      </div>
      <p className="muted" aria-live="polite" data-testid="records-count">
        {shown.total === 0 ? 'No records match.' : `Showing ${shown.first}–${shown.last} of ${shown.total} record${shown.total === 1 ? '' : 's'}`}
        {shown.total !== rows.length ? ` (${rows.length} in all)` : ''}
      </p>
      <div className="table-scroll">
        <p id="records-table-hint" className="visually-hidden">
          Arrow keys move between records, Enter opens one.
        </p>
        <table className="grid" data-testid="records-table" aria-label="Records" aria-describedby="records-table-hint">
          <thead>
            <tr>
              <SortHeader sort={sort} k="name" label="Name" onSort={onSort} />
              <SortHeader sort={sort} k="folder" label="Folder" title="Source folder; tells same-named records apart" onSort={onSort} />
              <SortHeader sort={sort} k="format" label="Format" onSort={onSort} />
              <SortHeader sort={sort} k="duration" label="Duration" numeric onSort={onSort} />
              <SortHeader sort={sort} k="leads" label="Leads" onSort={onSort} />
              {CLASS_KEYS.map((c) => (
                <SortHeader key={c} sort={sort} k={c} label={c} title={CLASS_TITLES[c]} numeric onSort={onSort} />
              ))}
              <SortHeader sort={sort} k="detected" label="Detected" title="Beats found by the QRS detector in records without reference annotations" numeric onSort={onSort} />
              <SortHeader sort={sort} k="rhythms" label="Rhythms" onSort={onSort} />
              <SortHeader sort={sort} k="mismatches" label="Mismatches" title="Predicted beat labels that differ from the reference; filled in once a model has been run" numeric onSort={onSort} />
            </tr>
          </thead>
          <tbody ref={body}>
            {shown.rows.map((r, i) => (
              <tr
                key={r.id}
                tabIndex={i === focusRow ? 0 : -1}
                aria-current={r.id === openId ? 'true' : undefined}
                className={r.id === openId ? 'selected' : ''}
                onClick={() => {
                  setFocusRow(i);
                  onOpen(r.id);
                }}
                onKeyDown={(e) => onRowKey(e, i, r)}
                data-record-id={r.id}
              >
                <td className="name">{r.name}</td>
                <td className="folder" title={r.folder}>{r.folderLabel}</td>
                <td>{r.format}</td>
                <td className="num">{fmtDuration(r.durationSeconds)}</td>
                <td title={r.leadNames.join(', ')}>{r.leadCount <= 4 ? r.leadNames.join(', ') : `${r.leadCount} leads`}</td>
                {CLASS_KEYS.map((c) => (
                  <td key={c} className="num">
                    {r.counts[c]}
                  </td>
                ))}
                <td className="num">{r.detected || ''}</td>
                <td className="rhythms">
                  {r.rhythms.map((l, k) => (
                    <span key={l}>
                      {k > 0 ? ', ' : ''}
                      <abbr title={rhythmName(l)}>{l.replace(/^\(/, '')}</abbr>
                    </span>
                  ))}
                </td>
                <td className="num muted">{r.mismatches ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="row pager" aria-label="Record pages">
        <button type="button" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
          ◀ Previous page
        </button>
        <span>
          Page {shown.page + 1} of {shown.pages}
        </span>
        <button type="button" disabled={shown.page >= shown.pages - 1} onClick={() => setPage(shown.page + 1)}>
          Next page ▶
        </button>
        <label>
          Rows per page
          <select
            value={size}
            onChange={(e) => {
              setSize(Number(e.target.value));
              setPage(0);
            }}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </nav>
    </div>
  );
}
