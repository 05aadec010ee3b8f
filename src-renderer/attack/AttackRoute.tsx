// The Attack simulator: /attack?record=<id>&beat=<sample>. Choose a beat of a record, a model
// (and a second one to compare), an attack and its parameters (the form is made from the attack's
// schema; ε also in mV), run it as a job with progress and cancel, and see the clean and attacked
// beat on true-scale paper with the numbers. Runs can be saved as cases, reopened and exported as PNG.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ScaleSelect } from '../components/ScaleSelect.tsx';
import { Link, useSearchParams } from 'react-router';
import {
  DEFAULT_ATTACK_THRESHOLD,
  flagsAttacked,
  ATTACK_NAMES,
  ATTACK_PRESETS,
  BLACK_BOX_ATTACKS,
  attackFields,
  checkAttackParams,
  presetParams,
  type AttackField,
  type AttackName,
  type AttackPreset,
  type JobStatus,
  type OpInput,
  type OpOutput,
  type SimulatorBeat,
  type SimulatorResult,
} from '../../src-shared/contract/index.ts';
import { useApi, useJob, useQuery, type Query } from '../api/hooks.ts';
import { JobProgress } from '../components/JobProgress.tsx';
import { DEFAULT_PX_PER_MM } from '../viewer/geometry.ts';
import { formatTime } from '../viewer/time.ts';
import { ATTACKED_INK, CLEAN_INK, drawBeat, layoutBeat, type PaperScale } from './beat-paper.ts';

const SPEEDS = [25, 50, 100];
const GAINS = [10, 20, 40];
const CLASSES = ['N', 'S', 'V', 'F', 'Q'];
const DEFAULT_EPS = 0.01;
type Draft = Record<string, string | boolean>;

/** A form draft from parameters: numbers as text (so a half-typed value stays), booleans as they are. */
function toDraft(fields: AttackField[], params: Record<string, unknown> | null): Draft {
  return Object.fromEntries(
    fields.map((f) => {
      const v = params?.[f.key] ?? f.default;
      return [f.key, f.kind === 'boolean' ? v === true : Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v)];
    }),
  );
}

/** Parameters from the draft; empty optional fields are left to the attack's defaults. */
function fromDraft(fields: AttackField[], d: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = d[f.key];
    if (f.kind === 'boolean') out[f.key] = v === true;
    else if (typeof v !== 'string' || v.trim() === '') continue;
    else if (f.kind === 'enum') out[f.key] = v;
    else if (f.kind === 'numbers') out[f.key] = v.split(/[,\s]+/).filter(Boolean).map(Number);
    else out[f.key] = Number(v);
  }
  return out;
}

function presetDraft(name: AttackName, preset: AttackPreset, d: Draft | null): Draft {
  const fields = attackFields(name);
  const eps = d && typeof d.eps === 'string' && d.eps.trim() !== '' && Number.isFinite(Number(d.eps)) ? Number(d.eps) : DEFAULT_EPS;
  const lambda = d && typeof d.lambda === 'string' && d.lambda.trim() !== '' ? Number(d.lambda) : 1;
  return toDraft(fields, presetParams(name, preset, eps, lambda));
}

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const num = (x: number, digits = 4): string => (Math.abs(x) >= 1000 ? x.toFixed(0) : x.toFixed(digits));
const mvText = (units: number, r: { mvPerUnit: number | null }): string => (r.mvPerUnit === null ? '' : ` (${num(units * r.mvPerUnit)} mV)`);

export function AttackRoute() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const recordId = params.get('record') ?? '';
  const beatParam = params.get('beat');
  const beat = beatParam !== null && /^\d+$/.test(beatParam) ? Number(beatParam) : null;
  const setParam = useCallback(
    (patch: Record<string, string | null>) =>
      setParams(
        (cur) => {
          const next = new URLSearchParams(cur);
          for (const [k, v] of Object.entries(patch)) if (v === null || v === '') next.delete(k);
          else next.set(k, v);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const records = useQuery('records.list', {});
  const models = useQuery('models.list', {});
  const settings = useQuery('settings.get', {});
  const cases = useQuery('attacks.cases.list', {});
  const model = params.get('model') ?? '';
  const compare = params.get('compare') ?? '';
  const [attack, setAttack] = useState<AttackName>(() => {
    const a = params.get('attack');
    return (ATTACK_NAMES as readonly string[]).includes(a ?? '') ? (a as AttackName) : 'fgsm';
  });
  const fields = useMemo(() => attackFields(attack), [attack]);
  const [draft, setDraft] = useState<Draft>(() => presetDraft(attack, 'paper', null));
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<{ input: OpInput<'attacks.beat'>; result: SimulatorResult; caseName: string | null } | null>(null);
  const lastInput = useRef<OpInput<'attacks.beat'> | null>(null);
  const onFinish = useCallback((j: JobStatus) => {
    if (j.kind === 'attacks.beat' && j.state === 'succeeded' && j.result && lastInput.current) setResult({ input: lastInput.current, result: j.result, caseName: null });
  }, []);
  const { job, start, error: startError } = useJob(onFinish);
  const running = job !== null && (job.state === 'queued' || job.state === 'running');

  const chooseAttack = (name: AttackName): void => {
    setAttack(name);
    setDraft(presetDraft(name, 'paper', draft));
    setFormError(null);
    setParam({ attack: name });
  };

  const run = (): void => {
    setFormError(null);
    if (!recordId) return setFormError('Choose a record.');
    if (beat === null) return setFormError('Choose a beat of the record.');
    const checked = checkAttackParams(attack, fromDraft(fields, draft));
    if (!checked.ok) return setFormError(`${checked.key}: ${checked.message}`);
    const input: OpInput<'attacks.beat'> = { record: recordId, beat, attack: { name: attack, params: checked.params }, ...(model ? { model } : {}), ...(compare ? { compare } : {}) };
    lastInput.current = input;
    void start(() => api.call('attacks.beat', input));
  };

  const openCase = async (id: number): Promise<void> => {
    try {
      const c = await api.call('attacks.cases.get', { id });
      const name = c.input.attack.name;
      setAttack(name);
      setDraft(toDraft(attackFields(name), c.input.attack.params));
      setParam({ record: c.input.record, beat: String(c.input.beat), model: c.input.model ?? null, compare: c.input.compare ?? null, attack: name });
      setResult({ input: c.input, result: c.result, caseName: c.name });
      setFormError(null);
    } catch (e) {
      setFormError(e instanceof Error ? e.message : String(e));
    }
  };

  const pxPerMm = settings.data?.pixelsPerMm ?? DEFAULT_PX_PER_MM;
  const [speed, setSpeed] = useState(100);
  const [gain, setGain] = useState(20);
  const scale: PaperScale = { pxPerMm, speed, gain };
  const modelNames = models.data?.map((m) => m.name) ?? [];
  const defaultModel = models.data?.find((m) => m.isDefault)?.name ?? null;

  return (
    <section className="attack-sim" aria-label="Attack simulator">
      <h1>Attack simulator</h1>
      <form
        className="panel attack-form"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <div className="attack-form-grid">
          <fieldset>
            <legend>Beat</legend>
            <label>
              Record
              <select value={recordId} onChange={(e) => setParam({ record: e.target.value, beat: null })} aria-label="Record">
                <option value="">Choose a record…</option>
                {records.data?.map((r) => (
                  <option key={r.id} value={String(r.id)}>
                    {r.name} ({r.folder.split('/').pop()})
                  </option>
                ))}
              </select>
            </label>
            {recordId ? <BeatPicker record={recordId} frequency={records.data?.find((r) => String(r.id) === recordId)?.frequency ?? null} beat={beat} onBeat={(b) => setParam({ beat: String(b) })} /> : null}
            {records.error ? <p className="error-text">{records.error.message}</p> : null}
          </fieldset>
          <fieldset>
            <legend>Models</legend>
            <label>
              Model
              <select value={model} onChange={(e) => setParam({ model: e.target.value })} aria-label="Model">
                <option value="">default{defaultModel ? ` (${defaultModel})` : ''}</option>
                {modelNames.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Compare with
              <select value={compare} onChange={(e) => setParam({ compare: e.target.value })} aria-label="Compare with">
                <option value="">no second model</option>
                {modelNames.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            {models.data && models.data.length === 0 ? <p className="error-text">No models registered: put model folders in models/ (or train one).</p> : null}
          </fieldset>
          <fieldset>
            <legend>Attack</legend>
            <label>
              Attack
              <select value={attack} onChange={(e) => chooseAttack(e.target.value as AttackName)} aria-label="Attack">
                {ATTACK_NAMES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                    {BLACK_BOX_ATTACKS.includes(n) ? ' (black-box)' : ''}
                  </option>
                ))}
              </select>
            </label>
            <div className="row" role="group" aria-label="Presets">
              {ATTACK_PRESETS.map((p) => (
                <button key={p} type="button" onClick={() => setDraft(presetDraft(attack, p, draft))} disabled={presetParams(attack, p, DEFAULT_EPS) === null} title={presetParams(attack, p, DEFAULT_EPS) === null ? `The ${p} suite has no ${attack}` : `Parameters of the ${p} suite at this ε`}>
                  {p === 'paper' ? 'Paper preset' : 'Strong preset'}
                </button>
              ))}
            </div>
            <ParamFields fields={fields} draft={draft} onChange={(k, v) => setDraft((d) => ({ ...d, [k]: v }))} record={recordId} beat={beat} model={model} />
          </fieldset>
        </div>
        <div className="row">
          <button type="submit" disabled={running}>
            Run attack
          </button>
          {formError || startError ? (
            <p className="error-text" role="alert" data-testid="attack-error">
              {formError ?? startError}
            </p>
          ) : null}
        </div>
        {job ? <JobProgress job={job} onCancel={() => void api.call('jobs.cancel', { id: job.id })} /> : null}
      </form>
      {result ? (
        <AttackResultView
          key={`${result.result.recordId}:${result.result.beat}:${result.result.seconds}`}
          result={result.result}
          input={result.input}
          caseName={result.caseName}
          scale={scale}
          speed={speed}
          gain={gain}
          onSpeed={setSpeed}
          onGain={setGain}
          onSaved={cases.reload}
        />
      ) : null}
      <CaseList cases={cases} onOpen={(id) => void openCase(id)} />
    </section>
  );
}

function BeatPicker({ record, frequency, beat, onBeat }: { record: string; frequency: number | null; beat: number | null; onBeat: (b: number) => void }) {
  const beats = useQuery('attacks.beats', { record }, [record]);
  const [cls, setCls] = useState('');
  const shown = useMemo(() => (beats.data ?? []).filter((b) => !cls || b.aami === cls || (cls === 'Q' && b.aami === null)), [beats.data, cls]);
  if (beats.error) return <p className="error-text">{beats.error.message}</p>;
  const list = beats.data;
  if (!list) return <p>Loading beats…</p>;
  const label = (b: { sample: number; symbol: string; aami: string | null }): string => `${frequency ? formatTime(b.sample / frequency, true) : ''} · ${b.symbol}${b.aami && b.aami !== b.symbol ? ` (${b.aami})` : ''} · sample ${b.sample}`;
  const inList = beat !== null && shown.some((b) => b.sample === beat);
  const current = beat === null ? undefined : list.find((b) => b.sample === beat);
  return (
    <>
      <label>
        Class
        <select value={cls} onChange={(e) => setCls(e.target.value)} aria-label="Beat class filter">
          <option value="">all {list.length} beats</option>
          {CLASSES.map((c) => (
            <option key={c} value={c}>
              {c} ({list.filter((b) => (c === 'Q' ? b.aami === 'Q' || b.aami === null : b.aami === c)).length})
            </option>
          ))}
        </select>
      </label>
      <label>
        Beat
        <select value={beat === null ? '' : String(beat)} onChange={(e) => onBeat(Number(e.target.value))} aria-label="Beat" data-testid="beat-select">
          <option value="" disabled>
            Choose a beat…
          </option>
          {!inList && current ? <option value={String(current.sample)}>{label(current)}</option> : null}
          {shown.map((b) => (
            <option key={b.sample} value={String(b.sample)}>
              {label(b)}
            </option>
          ))}
        </select>
      </label>
      {beat !== null && !current ? <p className="error-text">Sample {beat} is not a beat of this record: choose one from the list.</p> : null}
      {beat !== null && current ? (
        <p className="muted">
          <Link to={`/records/${record}?t=${frequency ? Math.max(0, beat / frequency - 2).toFixed(2) : 0}`}>Show in the ECG viewer</Link>
        </p>
      ) : null}
    </>
  );
}

function ParamFields({ fields, draft, onChange, record, beat, model }: { fields: AttackField[]; draft: Draft; onChange: (k: string, v: string | boolean) => void; record: string; beat: number | null; model: string }) {
  const hasEps = fields.some((f) => f.key === 'eps');
  return (
    <div className="param-fields">
      {fields.map((f) => {
        const id = `param-${f.key}`;
        const v = draft[f.key];
        const bounds = `${f.min === null ? '' : `${f.exclusiveMin ? '>' : '≥'} ${f.min}`}${f.min !== null && f.max !== null ? ', ' : ''}${f.max === null ? '' : `≤ ${f.max}`}`;
        return (
          <div key={f.key} className="param-field">
            {f.kind === 'boolean' ? (
              <label htmlFor={id}>
                <input id={id} type="checkbox" aria-label={f.key} checked={v === true} onChange={(e) => onChange(f.key, e.target.checked)} /> {f.key}
              </label>
            ) : (
              <label htmlFor={id}>
                {f.key}
                {f.kind === 'enum' ? (
                  <select id={id} aria-label={f.key} value={String(v ?? '')} onChange={(e) => onChange(f.key, e.target.value)}>
                    {f.options.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    aria-label={f.key}
                    type={f.kind === 'numbers' ? 'text' : 'number'}
                    step={f.kind === 'integer' ? 1 : 'any'}
                    min={f.kind === 'numbers' ? undefined : (f.min ?? undefined)}
                    max={f.kind === 'numbers' ? undefined : (f.max ?? undefined)}
                    value={String(v ?? '')}
                    required={f.required}
                    onChange={(e) => onChange(f.key, e.target.value)}
                    aria-describedby={bounds ? `${id}-hint` : undefined}
                  />
                )}
                {bounds ? (
                  <small id={`${id}-hint`} className="muted">
                    {' '}
                    {bounds}
                    {f.kind === 'numbers' ? ' each' : ''}
                  </small>
                ) : null}
              </label>
            )}
          </div>
        );
      })}
      {hasEps && beat !== null && record ? <EpsInMv record={record} beat={beat} model={model} eps={Number(draft.eps)} /> : null}
      <p className="muted">ε and steps are in the model's normalised units: each beat is scaled to [0, 1] by its own minimum and maximum.</p>
    </div>
  );
}

function EpsInMv({ record, beat, model, eps }: { record: string; beat: number; model: string; eps: number }) {
  const scale = useQuery('attacks.beatScale', { record, beat, ...(model ? { model } : {}) }, [record, beat, model]);
  if (scale.error) return <p className="error-text">{scale.error.message}</p>;
  if (!scale.data) return null;
  return (
    <p data-testid="eps-mv">
      {scale.data.mvPerUnit === null
        ? 'This record gives no mV scale: ε stays in normalised units.'
        : `ε = ${Number.isFinite(eps) ? num(eps * scale.data.mvPerUnit) : '—'} mV for this beat (1 unit = ${num(scale.data.mvPerUnit)} mV, its span for ${scale.data.model}).`}
    </p>
  );
}

function BeatCanvas({ r, scale }: { r: SimulatorBeat; scale: PaperScale }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const layout = useMemo(() => layoutBeat(r, scale), [r, scale.pxPerMm, scale.speed, scale.gain]);
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(layout.width * dpr);
    c.height = Math.round(layout.height * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawBeat(ctx, r, layout, scale, dpr);
  }, [r, layout]);
  const description = `Beat ${r.beat} of record ${r.record} for ${r.model}: clean beat in blue and attacked beat in red on ECG paper at ${scale.speed} mm/s and ${scale.gain} mm/mV, perturbation below at ${layout.deltaGain} mm/mV; L∞ ${num(r.perturbation.linf)}.`;
  return <canvas ref={canvas} role="img" aria-label={description} data-testid="attack-paper" data-model={r.model} data-samples={r.clean.length} data-delta-gain={layout.deltaGain} style={{ width: layout.width, height: layout.height }} />;
}

function Numbers({ r }: { r: SimulatorBeat }) {
  const classes = Object.keys(r.before.probabilities);
  const changed = r.before.predicted !== r.after.predicted;
  const threshold = r.attackThreshold ?? DEFAULT_ATTACK_THRESHOLD;
  return (
    <div className="attack-numbers" data-testid="attack-numbers" data-model={r.model}>
      <p className={changed ? 'error-text' : 'ok-text'} data-testid="attack-verdict">
        {changed ? `Prediction changed: ${r.before.predicted} → ${r.after.predicted}` : `Prediction unchanged: ${r.after.predicted}`}
        {r.reference ? ` (reference ${r.reference})` : ''}
      </p>
      <table className="grid compact" aria-label={`Class probabilities, ${r.model}`}>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {classes.map((c) => (
            <tr key={c} className={c === r.after.predicted ? 'selected' : ''}>
              <th scope="row">{c}</th>
              <td className="num">{pct(r.before.probabilities[c] ?? null)}</td>
              <td className="num">{pct(r.after.probabilities[c] ?? null)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Attacked (ATK-GAN)</th>
            <td className="num" data-testid="attacked-before">
              {r.before.attacked === null ? 'n/a' : `${pct(r.before.attacked)}${flagsAttacked(r.before.attacked, threshold) ? ' flagged' : ''}`}
            </td>
            <td className="num" data-testid="attacked-after">
              {r.after.attacked === null ? 'n/a' : `${pct(r.after.attacked)}${flagsAttacked(r.after.attacked, threshold) ? ' flagged' : ''}`}
            </td>
          </tr>
        </tbody>
      </table>
      <dl className="facts">
        <dt>L2</dt>
        <dd data-testid="l2">{num(r.perturbation.l2)}</dd>
        <dt>L∞</dt>
        <dd data-testid="linf">
          {num(r.perturbation.linf)}
          {mvText(r.perturbation.linf, r)}
        </dd>
        <dt>SNR</dt>
        <dd data-testid="snr">{r.perturbation.snrDb.toFixed(1)} dB</dd>
        <dt>Queries</dt>
        <dd data-testid="queries">{r.queries ?? '— (gradient attack)'}</dd>
        <dt>Parameters</dt>
        <dd>{Object.entries(r.parameters).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('/') : String(v)}`).join(', ')}</dd>
        <dt>Time</dt>
        <dd>{r.seconds.toFixed(2)} s</dd>
      </dl>
    </div>
  );
}

function AttackResultView({ result, input, caseName, scale, speed, gain, onSpeed, onGain, onSaved }: { result: SimulatorResult; input: OpInput<'attacks.beat'>; caseName: string | null; scale: PaperScale; speed: number; gain: number; onSpeed: (v: number) => void; onGain: (v: number) => void; onSaved: () => void }) {
  const api = useApi();
  const shown: SimulatorBeat[] = [result, ...(result.compare ? [result.compare] : [])];
  const [name, setName] = useState(caseName ?? `${result.attack} on ${result.record} beat ${result.beat}`);
  const [saveMsg, setSaveMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async (): Promise<void> => {
    try {
      const c = await api.call('attacks.cases.save', { name, input, result });
      setSaveMsg({ ok: true, text: `Saved as case ${c.id} "${c.name}".` });
      onSaved();
    } catch (e) {
      setSaveMsg({ ok: false, text: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <section className="panel attack-result" aria-label="Attack result" data-testid="attack-result">
      <h2>
        {result.attack} on beat {result.beat} of record {result.record}
        {caseName ? ` — case "${caseName}"` : ''}
      </h2>
      <div className="row">
        <span>
          <span className="swatch" style={{ background: CLEAN_INK }} /> clean beat <span className="swatch" style={{ background: ATTACKED_INK }} /> attacked beat
        </span>
        <ScaleSelect label="Speed" unit="mm/s" options={SPEEDS} value={speed} onChange={(v) => onSpeed(Number(v))} />
        <ScaleSelect label="Gain" unit="mm/mV" options={GAINS} value={gain} onChange={(v) => onGain(Number(v))} />
      </div>
      <div className="attack-side-by-side">
        {shown.map((r) => (
          <div key={r.model} className="attack-model">
            <h3>{r.model}</h3>
            <div className="attack-paper-wrap">
              <BeatCanvas r={r} scale={scale} />
            </div>
            <Numbers r={r} />
          </div>
        ))}
      </div>
      <div className="row">
        <label>
          Case name
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Case name" maxLength={200} />
        </label>
        <button type="button" onClick={() => void save()}>
          Save case
        </button>
        <button type="button" onClick={() => exportPng(shown, scale, name)}>
          Export PNG
        </button>
        {saveMsg ? (
          <span role="status" className={saveMsg.ok ? 'ok-text' : 'error-text'} data-testid="save-message">
            {saveMsg.text}
          </span>
        ) : null}
      </div>
    </section>
  );
}

/** One PNG of the run: each model's paper with its numbers written under it, side by side. */
function exportPng(shown: SimulatorBeat[], scale: PaperScale, name: string): void {
  const dpr = 2;
  const layouts = shown.map((r) => layoutBeat(r, scale));
  const lines = (r: SimulatorBeat): string[] => [
    `${r.model} · ${r.attack} on beat ${r.beat} of record ${r.record}${r.reference ? ` (reference ${r.reference})` : ''}`,
    ...(['before', 'after'] as const).map((w) => `${w}: ${r[w].predicted} · ${Object.entries(r[w].probabilities).map(([c, p]) => `${c} ${pct(p)}`).join(', ')}${r[w].attacked === null ? '' : ` · attacked ${pct(r[w].attacked)}`}`),
    `L2 ${num(r.perturbation.l2)} · L∞ ${num(r.perturbation.linf)}${mvText(r.perturbation.linf, r)} · SNR ${r.perturbation.snrDb.toFixed(1)} dB${r.queries === null ? '' : ` · ${r.queries} queries`}`,
    `parameters ${JSON.stringify(r.parameters)} · model ${r.modelHash.slice(0, 12)}`,
  ];
  const textH = 5 * 16 + 12;
  const c = document.createElement('canvas');
  const ctx = c.getContext('2d')!;
  ctx.font = '12px system-ui, sans-serif';
  // Each column is as wide as its paper or its longest line of numbers.
  const colW = Math.ceil(Math.max(...layouts.map((l) => l.width), ...shown.flatMap((r) => lines(r).map((t) => ctx.measureText(t).width))));
  const width = colW * shown.length + 16 * (shown.length + 1);
  const height = Math.max(...layouts.map((l) => l.height)) + textH + 32;
  c.width = width * dpr;
  c.height = height * dpr;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.font = '12px system-ui, sans-serif';
  shown.forEach((r, i) => {
    const x = 16 + i * (colW + 16);
    ctx.setTransform(dpr, 0, 0, dpr, x * dpr, 16 * dpr);
    drawBeat(ctx, r, layouts[i]!, scale, dpr);
    ctx.setTransform(dpr, 0, 0, dpr, x * dpr, (16 + layouts[i]!.height + 8) * dpr);
    ctx.fillStyle = '#111418';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    lines(r).forEach((t, k) => ctx.fillText(t, 0, k * 16));
  });
  const a = document.createElement('a');
  a.href = c.toDataURL('image/png');
  a.download = `${name.replace(/[^\w.-]+/g, '_') || 'attack-case'}.png`;
  document.body.append(a);
  a.click();
  a.remove();
}

function CaseList({ cases, onOpen }: { cases: Query<OpOutput<'attacks.cases.list'>>; onOpen: (id: number) => void }) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const del = async (id: number): Promise<void> => {
    try {
      await api.call('attacks.cases.delete', { id });
      cases.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="panel" aria-label="Saved cases">
      <h2>Saved cases</h2>
      {error ? <p className="error-text">{error}</p> : null}
      {cases.error ? <p className="error-text">{cases.error.message}</p> : null}
      {cases.data && cases.data.length === 0 ? <p className="muted">No saved cases yet: run an attack and press "Save case".</p> : null}
      {cases.data && cases.data.length ? (
        <table className="grid" data-testid="case-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Record · beat</th>
              <th scope="col">Model</th>
              <th scope="col">Attack</th>
              <th scope="col">Before → after</th>
              <th scope="col">Saved</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {cases.data.map((c) => (
              <tr key={c.id}>
                <td className="name">{c.name}</td>
                <td>
                  {c.record} · {c.input.beat}
                </td>
                <td>{c.model}</td>
                <td>{c.input.attack.name}</td>
                <td className={c.before !== c.after ? 'error-text' : ''}>
                  {c.before} → {c.after}
                </td>
                <td>{new Date(c.createdAt).toLocaleString()}</td>
                <td>
                  <button type="button" onClick={() => onOpen(c.id)} aria-label={`Open case ${c.name}`}>
                    Open
                  </button>{' '}
                  <button type="button" onClick={() => void del(c.id)} aria-label={`Delete case ${c.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
