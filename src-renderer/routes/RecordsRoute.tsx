import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { RecordSummary, RecordWindow, StoredAnnotation } from '../../src-shared/contract/index.ts';
import { useApi, useQuery } from '../api/hooks.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { Chart } from '../components/Chart.tsx';
import { ImportPanel } from '../records/ImportPanel.tsx';
import { RecordTable } from '../records/RecordTable.tsx';
import { fmtDuration } from '../records/table-model.ts';

const AAMI_COLOURS: Record<string, string> = { N: '#2e7d32', S: '#1565c0', V: '#c62828', F: '#6a1b9a', Q: '#616161' };

function Viewer({ record }: { record: RecordSummary }) {
  const api = useApi();
  const [seconds, setSeconds] = useState(10);
  const [start, setStart] = useState(0);
  const [win, setWin] = useState<RecordWindow | null>(null);
  const [anns, setAnns] = useState<StoredAnnotation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [leads, setLeads] = useState<number[]>(() => record.leads.map((_, i) => i).slice(0, 3));
  const toggleLead = (i: number): void =>
    setLeads((cur) => (cur.includes(i) ? (cur.length > 1 ? cur.filter((x) => x !== i) : cur) : [...cur, i].sort((a, b) => a - b)));
  const frames = Math.round(seconds * record.frequency);
  useEffect(() => {
    let live = true;
    const from = Math.round(start * record.frequency);
    const to = Math.min(record.numFrames, from + frames);
    Promise.all([api.call('records.window', { id: record.id, from, to, leads }), api.call('records.annotations', { id: record.id, from, to })]).then(
      ([w, a]) => {
        if (!live) return;
        setWin(w);
        setAnns(a);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [api, record, start, frames, leads]);

  const option = useMemo(() => {
    if (!win) return null;
    const series = win.leads.map((l, k) => {
      const step = 1 / l.frequency;
      const t0 = win.from / win.frequency;
      const beats = k === 0 ? anns.filter((a) => a.aami !== null || a.source === 'detector') : [];
      return {
        type: 'line',
        name: `${l.name} (${l.units})`,
        showSymbol: false,
        sampling: 'lttb',
        lineStyle: { width: 1 },
        xAxisIndex: k,
        yAxisIndex: k,
        data: l.values.map((v, i) => [t0 + i * step, v]),
        markPoint: {
          symbol: 'pin',
          symbolSize: 26,
          label: { fontSize: 10 },
          data: beats.map((a) => {
            const i = Math.min(l.values.length - 1, Math.max(0, Math.round(((a.sample - win.from) / win.frequency) * l.frequency)));
            return { coord: [a.sample / win.frequency, l.values[i] ?? 0], value: a.source === 'detector' ? '•' : a.symbol, itemStyle: { color: AAMI_COLOURS[a.aami ?? 'Q'] } };
          }),
        },
      };
    });
    const h = 100 / win.leads.length;
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: win.leads.map((_, k) => ({ left: 60, right: 20, top: `${k * h + 6}%`, height: `${h - 12}%` })),
      xAxis: win.leads.map((_, k) => ({ type: 'value', gridIndex: k, min: win.from / win.frequency, max: win.to / win.frequency, name: k === win.leads.length - 1 ? 's' : '', axisLabel: { show: k === win.leads.length - 1 } })),
      yAxis: win.leads.map((l, k) => ({ type: 'value', gridIndex: k, name: l.units, scale: true })),
      series,
    };
  }, [win, anns]);

  const rhythm = anns.filter((a) => a.aux && a.aux.startsWith('('));
  const beatsShown = anns.filter((a) => a.aami !== null);
  return (
    <div className="panel" data-testid="record-viewer">
      <h2>
        {record.name} — {record.leads.length} leads, {record.frequency} Hz, {fmtDuration(record.durationSeconds)}
      </h2>
      <div className="row">
        <button type="button" onClick={() => setStart((s) => Math.max(0, s - seconds))} disabled={start <= 0}>
          ◀ Previous
        </button>
        <span data-testid="viewer-position">
          {start.toFixed(1)}–{Math.min(record.durationSeconds, start + seconds).toFixed(1)} s of {record.durationSeconds.toFixed(1)} s
        </span>
        <button type="button" onClick={() => setStart((s) => Math.min(Math.max(0, record.durationSeconds - seconds), s + seconds))} disabled={start + seconds >= record.durationSeconds}>
          Next ▶
        </button>
        <label>
          Window
          <select value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
            {[5, 10, 30, 60].map((s) => (
              <option key={s} value={s}>
                {s} s
              </option>
            ))}
          </select>
        </label>
        <span data-testid="viewer-beats">{beatsShown.length} labelled beats in view</span>
        {rhythm.length ? <span>Rhythm: {rhythm.map((r) => r.aux).join(', ')}</span> : null}
      </div>
      {record.leads.length > 1 ? (
        <div className="row lead-picker" role="group" aria-label="Leads shown">
          {record.leads.map((l, i) => (
            <label key={i}>
              <input type="checkbox" checked={leads.includes(i)} onChange={() => toggleLead(i)} /> {l.name}
            </label>
          ))}
        </div>
      ) : null}
      {error ? <p className="error-text">{error}</p> : null}
      {option ? (
        <div data-testid="ecg-leads" data-leads={win?.leads.map((l) => l.name).join(',')}>
          <Chart option={option} height={Math.max(260, 180 * (win?.leads.length ?? 1))} testId="ecg-chart" />
        </div>
      ) : (
        <p>Loading…</p>
      )}
      {record.info.length ? (
        <details>
          <summary>Header information{record.deidentified ? ' (de-identified)' : ''}</summary>
          <ul className="plain">
            {record.info.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function RecordsRoute() {
  const records = useQuery('records.list', {});
  const rhythms = useQuery('records.rhythms', {});
  const navigate = useNavigate();
  // /records/<id> opens a record (reload and links keep it); the list stays above.
  const openId = Number(useParams()['*']) || null;
  const list = records.data ?? [];
  const current = list.find((r) => r.id === openId) ?? null;
  const reload = useCallback(() => {
    records.reload();
    rhythms.reload();
  }, [records.reload, rhythms.reload]);
  return (
    <section>
      <h1>Records</h1>
      <ImportPanel onDone={reload} />
      {records.error ? <p className="error-text">{records.error.message}</p> : null}
      {list.length === 0 && !records.loading ? (
        <EmptyState title="No records imported">
          <p>Import the bundled sample records, or WFDB (.hea), EDF and CSV files from this machine.</p>
        </EmptyState>
      ) : (
        <RecordTable records={list} rhythms={rhythms.data ?? []} openId={openId} onOpen={(id) => void navigate(`/records/${id}`)} />
      )}
      {current ? <Viewer key={current.id} record={current} /> : null}
    </section>
  );
}
