// The ECG viewer on its own route: /records/:id?t=<s>&leads=0,1&speed=25&gain=10&layout=strips|12.
// Reload and links keep the record and the position. True-scale paper, overview, keyboard,
// wheel zoom, drag to pan, calipers, rhythm bands and a text alternative of what is shown.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ScaleSelect } from '../components/ScaleSelect.tsx';
import { Link, useParams, useSearchParams } from 'react-router';
import type { RecordSummary, StoredAnnotation } from '../../src-shared/contract/index.ts';
import { useApi, useQuery } from '../api/hooks.ts';
import { WindowCache } from './windowCache.ts';
import { Overview } from './Overview.tsx';
import { PAPER, drawBeatLabels, drawCalibration, drawGrid, drawLeadLabel, drawTrace } from './paper.ts';
import { DEFAULT_PX_PER_MM, frameAt, mvAt, xOfFrame, type Panel } from './geometry.ts';
import { displayName, frankLeads, standardLeads, stripLayout, twelveLeadLayout, type Layout } from './layout.ts';
import { formatTime, parseTime } from './time.ts';
import { ClassifyPanel, drawPredictions, isMismatch } from './Predictions.tsx';

const SPEEDS = [12.5, 25, 50];
const GAINS = [5, 10, 20];
const MIN_SPEED = 2.5;
const MAX_SPEED = 100;
const BEAT_TARGETS = [
  ...['N', 'S', 'V', 'F', 'Q'].map((c) => ({ value: `aami:${c}`, label: `class ${c}` })),
  ...['A', 'a', 'J', 'L', 'R', 'E', 'j', 'e', '/', 'f', '!'].map((s) => ({ value: `sym:${s}`, label: `label ${s}` })),
];

/** Beats are classified reference labels, or the QRS detector's marks where a record has none. */
const isBeat = (a: StoredAnnotation): boolean => a.aami !== null || a.source === 'detector';

interface Caliper {
  lead: number;
  a: number;
  b: number;
  va: number;
  vb: number;
}

export function caliperText(c: Caliper, frequency: number): string {
  const ms = (Math.abs(c.b - c.a) / frequency) * 1000;
  return `Δt ${ms.toFixed(0)} ms · ${ms > 0 ? (60000 / ms).toFixed(0) : '—'} bpm · ΔmV ${Math.abs(c.vb - c.va).toFixed(2)}`;
}

function bandColour(code: string): string {
  let h = 0;
  for (const ch of code) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return code === '(N' ? 'rgba(46,125,50,0.16)' : `hsla(${h}, 70%, 55%, 0.25)`;
}

export function ViewerRoute({ mismatches = [] }: { mismatches?: readonly number[] }) {
  const { id } = useParams();
  const record = useQuery('records.get', { id: Number(id) }, [id]);
  if (record.error) return <p className="error-text">{record.error.message}</p>;
  if (!record.data) return <p>Loading…</p>;
  return <Viewer key={record.data.id} record={record.data} mismatches={mismatches} />;
}

function Viewer({ record, mismatches }: { record: RecordSummary; mismatches: readonly number[] }) {
  const api = useApi();
  const fs = record.frequency;
  const [params, setParams] = useSearchParams();
  const settings = useQuery('settings.get', {});
  const overview = useQuery('records.overview', { id: record.id, lead: 0, columns: 2000 }, [record.id]);
  const episodes = useQuery('records.episodes', { id: record.id }, [record.id]);
  // Stored model predictions: shown at once on reopening; a new classification reloads them.
  const predictions = useQuery('records.predictions', { record: String(record.id) }, [record.id]);
  const preds = useMemo(() => predictions.data?.predictions ?? [], [predictions.data]);
  const mismatchSamples = useMemo(() => (mismatches.length ? mismatches : preds.filter(isMismatch).map((p) => p.sample)), [mismatches, preds]);
  const twelve = standardLeads(record.leads.map((l) => l.name));
  const frank = frankLeads(record.leads.map((l) => l.name));
  const layoutMode = params.get('layout') === 'strips' || !twelve ? 'strips' : '12';
  const withFrank = params.get('frank') === '1';
  const speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, Number(params.get('speed')) || 25));
  const gain = GAINS.includes(Number(params.get('gain'))) ? Number(params.get('gain')) : 10;
  const defaultLeads = record.leads.map((_, i) => i).filter((i) => twelve === null || !frank.includes(i) || withFrank).slice(0, 15);
  const leads = useMemo(() => {
    const p = params.get('leads');
    const parsed = p ? p.split(',').map(Number).filter((i) => Number.isInteger(i) && i >= 0 && i < record.leads.length) : [];
    return parsed.length ? parsed : defaultLeads;
  }, [params.get('leads'), record.leads.length, withFrank]);
  const start = Math.max(0, Math.round((Number(params.get('t')) || 0) * fs));
  const pxPerMm = settings.data?.pixelsPerMm ?? DEFAULT_PX_PER_MM;
  const [target, setTarget] = useState('aami:V');
  const [labelsAll, setLabelsAll] = useState(false);
  const [calipers, setCalipers] = useState<Caliper[]>([]);
  const [caliperMode, setCaliperMode] = useState(false);
  const [marchOut, setMarchOut] = useState(false);
  const [message, setMessage] = useState('');
  // The beat last clicked or jumped to: the Attack simulator opens on it.
  const [selected, setSelected] = useState<StoredAnnotation | null>(null);
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | null>(null);
  const [goto, setGoto] = useState('');
  const [width, setWidth] = useState(900);
  const [version, setVersion] = useState(0);
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  const update = useCallback(
    (patch: Record<string, string | null>) =>
      setParams(
        (cur) => {
          const next = new URLSearchParams(cur);
          for (const [k, v] of Object.entries(patch)) if (v === null) next.delete(k);
          else next.set(k, v);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(400, Math.floor(el.clientWidth) - 2)));
    ro.observe(el);
    el.focus();
    return () => ro.disconnect();
  }, []);

  const ranges = overview.data?.ranges;
  const layout: Layout | null = useMemo(() => {
    if (!ranges) return null;
    const inp = { width, pxPerMm, speed, gain, frequency: fs, start, ranges };
    return layoutMode === '12' && twelve ? twelveLeadLayout(inp, twelve, withFrank ? frank : []) : stripLayout(inp, leads);
  }, [ranges, width, pxPerMm, speed, gain, fs, start, layoutMode, twelve?.join(), withFrank, leads.join()]);
  const pageFrames = layout?.frames ?? Math.round(10 * fs);
  const shownLeads = useMemo(() => [...new Set(layout?.panels.map((p) => p.lead) ?? leads)].sort((a, b) => a - b), [layout, leads]);
  const cache = useMemo(() => new WindowCache(api, record, shownLeads, () => setVersion((v) => v + 1)), [api, record, shownLeads.join()]);
  const end = Math.min(record.numFrames, start + pageFrames);
  useEffect(() => {
    cache.ensure(start, end).catch((e: unknown) => setMessage(e instanceof Error ? e.message : String(e)));
  }, [cache, start, end]);

  // The position last asked for: keys repeat faster than the URL round trip, so steps build on
  // this, not on the last render. Reset whenever the URL itself changes.
  const pos = useRef({ start, speed });
  const seen = useRef({ start, speed });
  if (seen.current.start !== start || seen.current.speed !== speed) seen.current = pos.current = { start, speed };
  const seekFrame = useCallback(
    (frame: number) => {
      const page = (pageFrames * speed) / pos.current.speed;
      const f = Math.min(Math.max(0, record.numFrames - page), Math.max(0, Math.round(frame)));
      pos.current = { ...pos.current, start: f };
      update({ t: (f / fs).toFixed(3).replace(/\.?0+$/, '') || '0' });
    },
    [record.numFrames, pageFrames, speed, fs, update],
  );
  const seekBy = useCallback((frames: number) => seekFrame(pos.current.start + frames), [seekFrame]);
  const zoom = useCallback(
    (factor: number, anchorFrame?: number, anchorX?: number) => {
      const cur = pos.current;
      const next = Math.min(MAX_SPEED, Math.max(MIN_SPEED, cur.speed * factor));
      if (next === cur.speed) return;
      const page = (pageFrames * speed) / cur.speed;
      const anchor = anchorFrame ?? cur.start + page / 2;
      const x = anchorX ?? (page / 2) / (fs / (cur.speed * pxPerMm));
      const from = Math.max(0, Math.round(anchor - x * (fs / (next * pxPerMm))));
      pos.current = { start: from, speed: next };
      update({ speed: String(Math.round(next * 100) / 100), t: (from / fs).toFixed(3) });
    },
    [speed, fs, pxPerMm, pageFrames, update],
  );
  const jumpBeat = useCallback(
    async (direction: 'next' | 'prev') => {
      const [kind, value] = target.split(':') as ['aami' | 'sym', string];
      const centre = start + pageFrames / 2;
      const from = direction === 'next' ? Math.floor(centre) + 1 : Math.ceil(centre) - 1;
      const beat = await api.call('records.findBeat', { id: record.id, from, direction, ...(kind === 'aami' ? { aami: value as 'N' } : { symbol: value }) });
      if (!beat) setMessage(`No ${direction === 'next' ? 'later' : 'earlier'} beat of ${kind === 'aami' ? 'class' : 'label'} ${value}.`);
      else {
        setMessage(`${beat.symbol} beat at ${formatTime(beat.sample / fs, true)}.`);
        setSelected(beat);
        seekFrame(beat.sample - pageFrames / 2);
      }
    },
    [api, record.id, target, start, pageFrames, fs, seekFrame],
  );
  const nextMismatch = useCallback(() => {
    const m = mismatchSamples.find((s) => s > start + pageFrames / 2);
    if (m === undefined) setMessage(mismatchSamples.length ? 'No later mismatch.' : preds.length ? 'No mismatches: every prediction agrees with the reference.' : 'No mismatches: no model predictions for this record yet.');
    else {
      setMessage(`Mismatch at ${formatTime(m / fs, true)}.`);
      seekFrame(m - pageFrames / 2);
    }
  }, [mismatchSamples, preds, start, pageFrames, seekFrame, fs]);

  const onKey = (e: React.KeyboardEvent): void => {
    if ((e.target as HTMLElement).closest('input, select, button, textarea') && e.currentTarget !== e.target) return;
    const actions: Record<string, () => void> = {
      ArrowRight: () => seekBy(pageFrames / 2),
      ArrowLeft: () => seekBy(-pageFrames / 2),
      PageDown: () => seekBy(pageFrames),
      PageUp: () => seekBy(-pageFrames),
      Home: () => seekFrame(0),
      End: () => seekFrame(record.numFrames),
      '+': () => zoom(1.25),
      '=': () => zoom(1.25),
      '-': () => zoom(0.8),
      n: () => void jumpBeat('next'),
      p: () => void jumpBeat('prev'),
      m: nextMismatch,
      c: () => setCaliperMode((v) => !v),
      Escape: () => setCalipers([]),
    };
    const act = actions[e.key];
    if (act && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      act();
    }
  };

  // Beats and rhythm in view.
  const beats = useMemo(() => cache.annotations(start, end).filter(isBeat), [cache, start, end, version]);
  // Loaded as of the last redraw, like the beats above: chunks land a frame before the cache says so.
  const loaded = useMemo(() => cache.has(start, end), [cache, start, end, version]);
  const allBeatsNear = useMemo(() => cache.annotations(Math.max(0, start - 3 * fs), end).filter(isBeat), [cache, start, end, fs, version]);
  const inForce = episodes.data?.filter((ep) => ep.end > start && ep.start < end) ?? [];
  // The rhythm in force at the window start (or, before the first change, the first one in view).
  const rhythmAtStart = episodes.data?.find((ep) => ep.start <= start && ep.end > start) ?? inForce[0] ?? null;

  // Drawing: the whole paper is redrawn in one pass (a few ms); see test/bench/viewer.ts for figures.
  const [drawMs, setDrawMs] = useState(0);
  const [calPx, setCalPx] = useState<{ x0: number; x1: number; top: number; baseline: number } | null>(null);
  useEffect(() => {
    const c = canvas.current;
    if (!c || !layout) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const [cw, ch] = [Math.round(layout.width * dpr), Math.round(layout.height * dpr)];
    if (c.width !== cw || c.height !== ch) [c.width, c.height] = [cw, ch]; // resizing reallocates: only when needed
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawGrid(ctx, layout.width, layout.height, pxPerMm, dpr);
    const trace = layout.panels[0]!;
    const traceEnd = Math.max(...layout.panels.map((p) => p.x + p.w));
    // Rhythm bands; the rhythm in force at the window start is named even if it began earlier.
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const ep of inForce) {
      const x0 = Math.max(trace.x, xOfFrame(trace, ep.start));
      const x1 = Math.min(traceEnd, xOfFrame(trace, ep.end));
      ctx.fillStyle = bandColour(ep.code);
      ctx.fillRect(x0, layout.bandY + 2, x1 - x0, layout.bandH - 4);
      ctx.fillStyle = PAPER.text;
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, layout.bandY, x1 - x0, layout.bandH);
      ctx.clip();
      ctx.fillText(ep.name, x0 + 4, layout.bandY + layout.bandH / 2);
      ctx.restore();
    }
    let cal: typeof calPx = null;
    for (const p of layout.panels) {
      if (p.calibration) {
        const r = drawCalibration(ctx, p, pxPerMm, speed);
        if (!cal) cal = { ...r, baseline: p.baseline };
      }
      drawTrace(ctx, p, cache.samples(p.lead, p.from, p.from + p.w * p.framesPerPx + 1), dpr);
      if (!p.calibration) {
        // Column boundary of the 12-lead sheet, as printed sheets mark it.
        ctx.fillStyle = PAPER.ink;
        ctx.fillRect(p.x - 0.5, p.baseline - 3 * pxPerMm, 1, 6 * pxPerMm);
      }
      drawLeadLabel(ctx, p, p.calibration ? 4 : p.x + 4);
      if (p.labels || labelsAll) drawBeatLabels(ctx, p, cache.annotations(p.from, p.from + p.w * p.framesPerPx).filter(isBeat), p.y + 2);
      // Predicted classes: a second row under the reference labels.
      if ((p.labels || labelsAll) && preds.length) drawPredictions(ctx, p, preds, p.y + 17, predictions.data?.attackThreshold ?? null);
    }
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = PAPER.text;
    ctx.textBaseline = 'bottom';
    ctx.fillText(`${speed} mm/s · ${gain} mm/mV`, 4, layout.height - 2);
    drawCalipers(ctx, layout, calipers, marchOut, fs);
    if (selected) drawSelectedBeat(ctx, layout, selected.sample, pxPerMm);
    setCalPx(cal);
    setDrawMs(performance.now() - t0);
  }, [layout, cache, version, pxPerMm, speed, gain, calipers, marchOut, labelsAll, fs, inForce.map((e) => e.start).join(), preds, predictions.data?.attackThreshold, selected]);

  // A hover read-out belongs to the beat under the pointer: moving the paper invalidates it.
  useEffect(() => setHover(null), [start, speed, gain]);

  // Pointer: pan, calipers, hover.
  const panelAt = (x: number, y: number): Panel | null => layout?.panels.find((p) => x >= p.x && x <= p.x + p.w && y >= p.y && y <= p.y + p.h) ?? null;
  const snap = (p: Panel, x: number): number => {
    const f = frameAt(p, x);
    const near = allBeatsNear.reduce<StoredAnnotation | null>((best, b) => (Math.abs(b.sample - f) < Math.abs((best?.sample ?? Infinity) - f) ? b : best), null);
    return near && Math.abs(xOfFrame(p, near.sample) - x) <= 3 * pxPerMm ? near.sample : Math.round(f);
  };
  const drag = useRef<{ kind: 'pan'; x: number; start: number } | { kind: 'caliper'; index: number; end: 'a' | 'b'; panel: Panel } | null>(null);
  const local = (e: React.PointerEvent | React.WheelEvent): { x: number; y: number } => {
    const r = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    const { x, y } = local(e);
    const p = panelAt(x, y);
    e.currentTarget.setPointerCapture(e.pointerId);
    if (p && caliperMode) {
      const hit = calipers.findIndex((c) => c.lead === p.lead && (Math.abs(xOfFrame(p, c.a) - x) < 5 || Math.abs(xOfFrame(p, c.b) - x) < 5));
      if (hit >= 0) {
        const c = calipers[hit]!;
        drag.current = { kind: 'caliper', index: hit, end: Math.abs(xOfFrame(p, c.a) - x) < 5 ? 'a' : 'b', panel: p };
      } else {
        const f = snap(p, x);
        setCalipers((cs) => [...cs, { lead: p.lead, a: f, b: f, va: mvAt(p, y), vb: mvAt(p, y) }]);
        drag.current = { kind: 'caliper', index: calipers.length, end: 'b', panel: p };
      }
    } else drag.current = { kind: 'pan', x, start };
  };
  /** A click (no drag) on the paper selects the beat within 3 mm of it. */
  const selectAt = (x: number, y: number): void => {
    const p = panelAt(x, y);
    if (!p) return;
    const f = frameAt(p, x);
    const near = allBeatsNear.reduce<StoredAnnotation | null>((best, b) => (Math.abs(b.sample - f) < Math.abs((best?.sample ?? Infinity) - f) ? b : best), null);
    if (near && Math.abs(xOfFrame(p, near.sample) - x) <= 3 * pxPerMm) setSelected(near);
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    const { x, y } = local(e);
    const d = drag.current;
    if (d?.kind === 'pan') {
      seekFrame(d.start - (x - d.x) * (fs / (speed * pxPerMm)));
      return;
    }
    if (d?.kind === 'caliper') {
      const f = snap(d.panel, x);
      const v = mvAt(d.panel, y);
      setCalipers((cs) => cs.map((c, i) => (i !== d.index ? c : d.end === 'a' ? { ...c, a: f, va: v } : { ...c, b: f, vb: v })));
      return;
    }
    const p = panelAt(x, y);
    if (!p) return setHover(null);
    const f = frameAt(p, x);
    const i = allBeatsNear.findIndex((b, k) => Math.abs(xOfFrame(p, b.sample) - x) <= 2 * pxPerMm && (k === allBeatsNear.length - 1 || Math.abs(b.sample - f) <= Math.abs(allBeatsNear[k + 1]!.sample - f)));
    const b = allBeatsNear[i];
    if (!b) return setHover(null);
    const prev = allBeatsNear[i - 1];
    const rr = prev ? ((b.sample - prev.sample) / fs) * 1000 : null;
    setHover({ x: xOfFrame(p, b.sample), y: p.y, text: `${b.symbol} at ${formatTime(b.sample / fs, true)}${rr ? ` · RR ${rr.toFixed(0)} ms · ${(60000 / rr).toFixed(0)} bpm` : ''}` });
  };
  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    const d = drag.current;
    drag.current = null;
    if (d?.kind === 'pan' && Math.abs(local(e).x - d.x) < 3) selectAt(local(e).x, local(e).y);
    if (d?.kind === 'caliper') setCalipers((cs) => cs.filter((c) => c.a !== c.b || Math.abs(c.va - c.vb) > 0.05));
  };
  useEffect(() => {
    // React's wheel listener is passive; zoom needs preventDefault, so attach it here.
    const c = canvas.current;
    if (!c || !layout) return;
    const onWheel = (e: WheelEvent): void => {
      const r = c.getBoundingClientRect();
      const x = e.clientX - r.left;
      const p = panelAt(x, e.clientY - r.top) ?? layout.panels[0]!;
      e.preventDefault();
      zoom(e.deltaY < 0 ? 1.25 : 0.8, frameAt(p, x), x - p.x + (p.from - start) / p.framesPerPx);
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  });

  const counts = beats.reduce<Record<string, number>>((acc, b) => ((acc[b.symbol || '•'] = (acc[b.symbol || '•'] ?? 0) + 1), acc), {});
  const leadNames = shownLeads.map((l) => record.leads[l]!.name);
  const description =
    `Record ${record.name}, ${formatTime(start / fs)} to ${formatTime(end / fs)} of ${formatTime(record.durationSeconds)}; ` +
    `${layoutMode === '12' ? '12-lead sheet (3 by 4, 2.5 s columns, lead II rhythm strip)' : `leads ${leadNames.join(', ')}`}; ${speed} mm/s, ${gain} mm/mV; ` +
    `${beats.length} beats in view${beats.length ? ` (${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}` +
    `${rhythmAtStart ? `; rhythm: ${rhythmAtStart.name}` : ''}.`;
  const toggleLead = (i: number): void => {
    const next = leads.includes(i) ? (leads.length > 1 ? leads.filter((x) => x !== i) : leads) : [...leads, i].sort((a, b) => a - b);
    update({ leads: next.join(',') });
  };

  return (
    <section className="viewer" data-testid="record-viewer" aria-label={`ECG viewer, record ${record.name}`}>
      <div className="viewer-main">
        <h1>
          <Link to="/records">Records</Link> › {record.name}{' '}
          <small>
            {record.leads.length} leads, {fs} Hz, {formatTime(record.durationSeconds)}
            {record.startTime ? `, started ${record.startTime}${record.startDate ? ` on ${record.startDate}` : ''}` : ''}
          </small>
        </h1>
        {overview.data ? <Overview overview={overview.data} numFrames={record.numFrames} frequency={fs} from={start} frames={end - start} onSeek={(c) => seekFrame(c - pageFrames / 2)} /> : <p>Loading overview…</p>}
        <div className="viewer-toolbar">
          <button type="button" onClick={() => seekBy(-pageFrames)} disabled={start <= 0} aria-label="Previous page">
            ◀ Page
          </button>
          <span data-testid="viewer-position" aria-live="polite">
            {formatTime(start / fs)}–{formatTime(end / fs)}
          </span>
          <button type="button" onClick={() => seekBy(pageFrames)} disabled={end >= record.numFrames} aria-label="Next page">
            Page ▶
          </button>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const s = parseTime(goto);
              if (s === null) setMessage('Type a time as hh:mm:ss, mm:ss or seconds.');
              else seekFrame(s * fs);
            }}
          >
            <label>
              Go to
              <input value={goto} onChange={(e) => setGoto(e.target.value)} placeholder="hh:mm:ss" size={9} aria-label="Go to time (hh:mm:ss)" />
            </label>
            <button type="submit">Go</button>
          </form>
          <ScaleSelect label="Speed" unit="mm/s" options={SPEEDS} value={speed} onChange={(v) => update({ speed: v })} />
          <ScaleSelect label="Gain" unit="mm/mV" options={GAINS} value={gain} onChange={(v) => update({ gain: v })} />
          <label>
            Beat class (n / p)
            <select value={target} onChange={(e) => setTarget(e.target.value)}>
              {BEAT_TARGETS.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void jumpBeat('prev')} aria-label="Previous beat of the selected class">
            ◀ Beat
          </button>
          <button type="button" onClick={() => void jumpBeat('next')} aria-label="Next beat of the selected class">
            Beat ▶
          </button>
          <button type="button" aria-pressed={caliperMode} onClick={() => setCaliperMode((v) => !v)}>
            Calipers (c)
          </button>
          <label>
            <input type="checkbox" checked={marchOut} onChange={(e) => setMarchOut(e.target.checked)} /> March-out
          </label>
          <label>
            <input type="checkbox" checked={labelsAll} onChange={(e) => setLabelsAll(e.target.checked)} /> Labels on every lead
          </label>
          {twelve ? (
            <label>
              Layout
              <select value={layoutMode} onChange={(e) => update({ layout: e.target.value, leads: null })}>
                <option value="12">12-lead 3×4 + rhythm II</option>
                <option value="strips">One strip per lead</option>
              </select>
            </label>
          ) : null}
          {frank.length ? (
            <label>
              <input type="checkbox" checked={withFrank} onChange={(e) => update({ frank: e.target.checked ? '1' : null, leads: null })} /> Frank leads (vx, vy, vz)
            </label>
          ) : null}
        </div>
        {layoutMode === 'strips' && record.leads.length > 1 ? (
          <div className="row lead-picker" role="group" aria-label="Leads shown">
            {record.leads.map((l, i) => (
              <label key={i}>
                <input type="checkbox" checked={leads.includes(i)} onChange={() => toggleLead(i)} /> {displayName(l.name)}
              </label>
            ))}
          </div>
        ) : null}
        <p className="viewer-status" role="status" data-testid="viewer-message">
          {message}
        </p>
        <div
          ref={wrap}
          className="paper-wrap"
          tabIndex={0}
          onKeyDown={onKey}
          aria-label="ECG paper: arrow keys half a page, Page Up/Down a page, Home/End, + and - zoom, n/p next/previous beat of the class, m next mismatch, c calipers"
          style={{ overflowX: 'auto' }}
        >
          <canvas
            ref={canvas}
            role="img"
            aria-label={description}
            data-testid="ecg-paper"
            data-layout={layoutMode}
            data-leads={leadNames.join(',')}
            data-panels={layout?.panels.map((p) => p.label).join(',')}
            data-px-per-mm={pxPerMm}
            data-grid-major-px={5 * pxPerMm}
            data-cal-pulse-px={gain * pxPerMm}
            data-cal={calPx ? `${calPx.x0},${calPx.x1},${calPx.top},${calPx.baseline}` : ''}
            data-start-frame={start}
            data-frames={end - start}
            data-frames-per-px={layout?.panels[0]?.framesPerPx}
            data-trace-x={layout?.panels[0]?.x}
            data-draw-ms={drawMs.toFixed(2)}
            data-beats={beats.map((b) => `${b.sample}:${b.symbol}`).join(",")}
            data-selected-beat={selected?.sample ?? ''}
            data-predicted={preds.filter((b) => b.sample >= start && b.sample < end).map((b) => `${b.sample}:${b.predicted}`).join(',')}
            data-loaded={layout && settings.data && loaded ? 'yes' : 'no'}
            style={{ width: layout?.width, height: layout?.height, cursor: caliperMode ? 'crosshair' : 'grab', touchAction: 'none' }}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerLeave={() => setHover(null)}
          />
          {hover ? (
            <div className="hover-tip" style={{ left: hover.x + 8, top: hover.y + 4 }}>
              {hover.text}
            </div>
          ) : null}
        </div>
        <p className="viewer-status" data-testid="hover-info" aria-live="polite">
          {hover?.text ?? 'Hover a beat for its RR interval and heart rate.'}
        </p>
        <p className="sr-only" data-testid="viewer-description">
          {description}
        </p>
        <p data-testid="viewer-beats" className="viewer-status">
          {beats.length} {beats.some((b) => b.source === 'reference') || beats.length === 0 ? 'labelled beats' : 'beats found by the QRS detector'} in view
        </p>
      </div>
      <aside className="viewer-side" aria-label="Rhythms and measurements">
        <h2>Selected beat</h2>
        {selected ? (
          <p data-testid="selected-beat">
            {selected.symbol === 'Q' && selected.source === 'detector' ? 'Detected beat' : `${selected.symbol} beat`} at {formatTime(selected.sample / fs, true)} (sample {selected.sample}){' '}
            <Link to={`/attack?record=${record.id}&beat=${selected.sample}`} className="button-like">
              Attack this beat
            </Link>
          </p>
        ) : (
          <p>Click a beat (or jump with n/p) to select it, then attack it in the simulator.</p>
        )}
        <ClassifyPanel recordId={record.id} predictions={predictions.data ?? null} onClassified={predictions.reload} />
        <h2>Rhythm</h2>
        <p data-testid="viewer-rhythm">{rhythmAtStart ? rhythmAtStart.name : 'No rhythm annotations'}</p>
        {episodes.data?.length ? (
          <ul aria-label="Rhythm episodes">
            {episodes.data.map((ep) => (
              <li key={ep.start}>
                <button type="button" onClick={() => seekFrame(ep.start - fs)} style={{ borderLeft: `6px solid ${bandColour(ep.code)}` }}>
                  {ep.name} {formatTime(ep.start / fs)}–{formatTime(ep.end / fs)}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <h2>Calipers</h2>
        {calipers.length ? (
          <>
            <ol className="caliper-list" data-testid="caliper-list">
              {calipers.map((c, i) => (
                <li key={i}>
                  {record.leads[c.lead]?.name}: {caliperText(c, fs)}
                </li>
              ))}
            </ol>
            <button type="button" onClick={() => setCalipers([])}>
              Clear calipers
            </button>
          </>
        ) : (
          <p>Press c (or the Calipers button), then drag across the strip; ends snap to R peaks.</p>
        )}
      </aside>
    </section>
  );
}

function drawCalipers(ctx: CanvasRenderingContext2D, layout: Layout, calipers: Caliper[], marchOut: boolean, fs: number): void {
  for (const c of calipers) {
    for (const p of layout.panels.filter((q) => q.lead === c.lead)) {
      const xa = xOfFrame(p, c.a);
      const xb = xOfFrame(p, c.b);
      if (Math.max(xa, xb) < p.x || Math.min(xa, xb) > p.x + p.w) continue;
      ctx.strokeStyle = '#1565c0';
      ctx.lineWidth = 1.5;
      ctx.setLineDash([]);
      ctx.beginPath();
      for (const x of [xa, xb]) {
        ctx.moveTo(x, p.y + 4);
        ctx.lineTo(x, p.y + p.h - 4);
      }
      ctx.moveTo(xa, p.y + 14);
      ctx.lineTo(xb, p.y + 14);
      ctx.stroke();
      if (marchOut && c.a !== c.b) {
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        const step = xb - xa;
        for (let x = xb + step; step > 0 ? x <= p.x + p.w : x >= p.x; x += step) {
          ctx.moveTo(x, p.y + 4);
          ctx.lineTo(x, p.y + p.h - 4);
        }
        ctx.stroke();
        ctx.setLineDash([]);
      }
      const text = caliperText(c, fs);
      ctx.font = 'bold 11px system-ui, sans-serif';
      const tw = ctx.measureText(text).width;
      const tx = Math.min(p.x + p.w - tw - 4, Math.min(xa, xb) + 4);
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(tx - 2, p.y + 16, tw + 4, 14);
      ctx.fillStyle = '#0d47a1';
      ctx.textBaseline = 'top';
      ctx.fillText(text, tx, p.y + 17);
    }
  }
}

/** The selected beat: a translucent band across every panel it shows on. */
function drawSelectedBeat(ctx: CanvasRenderingContext2D, layout: Layout, sample: number, pxPerMm: number): void {
  ctx.fillStyle = 'rgba(21, 101, 192, 0.14)';
  for (const p of layout.panels) {
    const x = xOfFrame(p, sample);
    if (x < p.x || x > p.x + p.w) continue;
    ctx.fillRect(x - 2 * pxPerMm, p.y, 4 * pxPerMm, p.h);
  }
}
