// One audit's report on screen: key figures, robust-accuracy curves per model and the worst case,
// per-attack, per-class and detection tables, any confusion matrix of the grid, example overlays
// and the provenance. The same figures, formats and chart options as the exported HTML report.
import { useMemo, useState, type ReactNode } from 'react';
import type { Audit, AuditCell, AuditExample } from '../../src-shared/contract/index.ts';
import {
  ECG_PAPER,
  ciText,
  confusionShade,
  epsOf,
  fewBeatsCaveat,
  fmtNum,
  fmtEps,
  isWide,
  labelsOf,
  macroF1,
  detectionCaption,
  modelsOf,
  overlayGeometry,
  pct,
  robustCurveOption,
  strongestCell,
  suiteText,
  worstAt,
  worstCaseOption,
  type Interval,
} from '../../src-shared/report.ts';
import { Chart, type ChartOption } from '../components/Chart.tsx';

/** The narrowest a report chart gets (.report .chart-pair): legends are laid out for it. */
export const CHART_MIN_WIDTH = 440;

/** Robust accuracy, flagged when its interval is too wide to read closely. */
function Robust({ x, ci }: { x: number; ci: Interval }) {
  return isWide(ci) ? (
    <span className="wide" title="Few beats: the 95% interval is wider than 10 points">
      {pct(x)} †
    </span>
  ) : (
    <>{pct(x)}</>
  );
}

/** Per model: clean accuracy and the worst case at each ε with its interval and defended rate. */
export function KeyFigures({ audit, testId = 'key-figures' }: { audit: Audit; testId?: string }) {
  const eps = epsOf(audit);
  return (
    <div className="table-scroll">
    <table className="grid report-table" data-testid={testId}>
      <caption>Clean accuracy, and the worst case per ε: robust accuracy when every attack of the suite held to that ε (all but the paper’s C&W at 10·ε) is tried on each beat (95% CI; defended: right or flagged)</caption>
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col" className="num">
            Clean
          </th>
          {eps.map((e) => (
            <th key={e} scope="col" className="num">
              ε = {fmtEps(e)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {modelsOf(audit).map((m) => (
          <tr key={m}>
            <td className="name">{m}</td>
            <td className="num">{pct(audit.clean.find((c) => c.model === m)?.accuracy)}</td>
            {eps.map((e) => {
              const w = worstAt(audit, m, e);
              return (
                <td key={e} className="num">
                  {w ? (
                    <>
                      <strong>
                        <Robust x={w.robustAccuracy} ci={w.robustAccuracyCi95} />
                      </strong>
                      <small className="block">CI {ciText(w.robustAccuracyCi95)}</small>
                      {w.defendedRate === null ? null : <small className="block">defended {pct(w.defendedRate)}</small>}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

export function ConfusionMatrix({ matrix, classes, caption }: { matrix: readonly (readonly number[])[]; classes: readonly string[]; caption: string }) {
  return (
    <table className="confusion shaded">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">true \ predicted</th>
          {classes.map((k) => (
            <th key={k} scope="col">
              {k}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {classes.map((t, i) => (
          <tr key={t}>
            <th scope="row">{t}</th>
            {classes.map((k, j) => {
              const s = confusionShade(matrix, i, j);
              return (
                <td key={k} style={{ background: `rgba(21, 101, 192, ${s.toFixed(3)})`, color: s > 0.55 ? '#fff' : undefined }}>
                  {matrix[i]?.[j] ?? 0}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Overlay({ example }: { example: AuditExample }) {
  const g = overlayGeometry(example);
  return (
    <svg viewBox={`0 0 ${g.width} ${g.height}`} width={g.width} height={g.height} role="img" aria-label={`Beat ${example.beatIndex}: clean (blue) and attacked (red)`} className="overlay">
      <rect width={g.width} height={g.height} fill={ECG_PAPER.background} />
      <path d={g.minor} stroke={ECG_PAPER.minor} strokeWidth={0.5} fill="none" />
      <path d={g.major} stroke={ECG_PAPER.major} strokeWidth={0.9} fill="none" />
      <path d={g.clean} stroke={ECG_PAPER.clean} strokeWidth={1.5} fill="none" strokeLinejoin="round" />
      <path d={g.adversarial} stroke={ECG_PAPER.attacked} strokeWidth={1.2} fill="none" strokeLinejoin="round" opacity={0.9} />
    </svg>
  );
}

function EpsFilter({ eps, value, onChange, id }: { eps: number[]; value: number | null; onChange: (e: number | null) => void; id: string }) {
  return (
    <label className="inline-field" htmlFor={id}>
      ε{' '}
      <select id={id} value={value === null ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}>
        <option value="">all</option>
        {eps.map((e) => (
          <option key={e} value={String(e)}>
            {fmtEps(e)}
          </option>
        ))}
      </select>
    </label>
  );
}

function Section({ title, id, tools, children }: { title: string; id: string; tools?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel report-section" aria-labelledby={`${id}-title`} data-testid={id}>
      <div className="section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {tools}
      </div>
      {children}
    </section>
  );
}

/** A table with one row per audit cell: model, attack and ε, then the columns `row` gives. */
function CellTable({ testId, columns, cells, row }: { testId: string; columns: string[]; cells: AuditCell[]; row: (c: AuditCell) => ReactNode }) {
  return (
    <div className="table-scroll">
      <table className="grid report-table" data-testid={testId}>
        <thead>
          <tr>
            {['Model', 'Attack', 'ε', ...columns].map((h, i) => (
              <th key={h} scope="col" className={i >= 2 ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cells.map((c) => (
            <tr key={`${c.model}|${c.label}|${c.eps}`}>
              <td className="name">{c.model}</td>
              <td>{c.label}</td>
              <td className="num">{fmtEps(c.eps)}</td>
              {row(c)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RobustTable({ cells }: { cells: AuditCell[] }) {
  return (
    <CellTable
      testId="robust-table"
      columns={['Beats', 'Clean', 'Robust', '95% CI', 'Attack success', 'L∞ mean', 'SNR dB', 'Queries']}
      cells={cells}
      row={(c) => (
        <>
          <td className="num">{c.beats}</td>
          <td className="num">{pct(c.cleanAccuracy)}</td>
          <td className="num">
            <Robust x={c.robustAccuracy} ci={c.robustAccuracyCi95} />
          </td>
          <td className="num">{ciText(c.robustAccuracyCi95)}</td>
          <td className="num">{pct(c.attackSuccessRate)}</td>
          <td className="num">{fmtNum(c.linf.mean, 4)}</td>
          <td className="num">{fmtNum(c.snrDb.mean, 1)}</td>
          <td className="num">{c.queries ? Math.round(c.queries.mean) : '—'}</td>
        </>
      )}
    />
  );
}

function PerClassTable({ audit, eps }: { audit: Audit; eps: number | null }) {
  const rows = modelsOf(audit).flatMap((m) => [
    ...audit.clean.filter((c) => c.model === m).map((c) => ({ key: `${m}|clean`, model: m, condition: 'clean', perClass: c.perClass })),
    ...audit.cells.filter((c) => c.model === m && (eps === null || c.eps === eps)).map((c) => ({ key: `${m}|${c.label}|${c.eps}`, model: m, condition: `${c.label}, ε = ${fmtEps(c.eps)}`, perClass: c.perClass })),
  ]);
  return (
    <div className="table-scroll">
      <table className="grid report-table" data-testid="per-class-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Beats</th>
            {audit.classes.map((k) => (
              <th key={k} scope="col" className="num">
                F1 {k}
              </th>
            ))}
            <th scope="col" className="num">
              Macro-F1
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td className="name">{r.model}</td>
              <td>{r.condition}</td>
              {audit.classes.map((k) => (
                <td key={k} className="num">
                  {r.perClass[k]?.f1.toFixed(3) ?? '—'}
                </td>
              ))}
              <td className="num">{macroF1(r.perClass)?.toFixed(3) ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DetectionTable({ cells }: { cells: AuditCell[] }) {
  const withHead = cells.filter((c) => c.detection !== null);
  if (withHead.length === 0) return <p className="muted">No audited model has an attacked/clean head (only ECG-ATK-GAN discriminators do).</p>;
  return (
    <>
      <p className="muted">{detectionCaption(withHead)}</p>
      <CellTable
        testId="detection-table"
        columns={['TPR (attacked flagged)', 'FPR (clean flagged)', 'Defended', 'Undetected & misclassified']}
        cells={withHead}
        row={(c) => (
          <>
            <td className="num">{pct(c.detection?.tpr)}</td>
            <td className="num">{pct(c.detection?.fpr)}</td>
            <td className="num">{pct(c.detection?.defendedRate)}</td>
            <td className="num">{pct(c.detection?.undetectedMisclassified)}</td>
          </>
        )}
      />
    </>
  );
}

/** Any matrix of the grid: a model, clean or one attack, at one ε (default: the strongest attack at the largest ε). */
function ConfusionPicker({ audit }: { audit: Audit }) {
  const models = modelsOf(audit);
  const eps = epsOf(audit);
  const [model, setModel] = useState(models[0] ?? '');
  const [e, setE] = useState(eps.at(-1) ?? 0);
  const [label, setLabel] = useState<string | null>(null);
  // A pick that the chosen model was not attacked with (e.g. the detector-aware attack) falls back to the strongest.
  const picked = label !== null && labelsOf(audit, model).includes(label) ? label : null;
  const chosen = picked ?? strongestCell(audit, model, e)?.label ?? '';
  const cell = audit.cells.find((c) => c.model === model && c.label === chosen && c.eps === e);
  const clean = audit.clean.find((c) => c.model === model);
  return (
    <>
      <div className="form-actions">
        <label className="inline-field">
          Model{' '}
          <select value={model} onChange={(ev) => setModel(ev.target.value)}>
            {models.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          Attack{' '}
          <select value={chosen} onChange={(ev) => setLabel(ev.target.value)}>
            {labelsOf(audit, model).map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <EpsFilter id="confusion-eps" eps={eps} value={e} onChange={(v) => setE(v ?? eps.at(-1) ?? 0)} />
      </div>
      <div className="matrices">
        {clean ? <ConfusionMatrix matrix={clean.confusion} classes={audit.classes} caption={`${model}, clean`} /> : null}
        {cell ? <ConfusionMatrix matrix={cell.confusion} classes={audit.classes} caption={`${model}, ${cell.label}, ε = ${fmtEps(e)}${picked === null ? ' (strongest)' : ''}`} /> : <p className="muted">No figures for this cell yet.</p>}
      </div>
    </>
  );
}

export function ReportView({ audit }: { audit: Audit }) {
  const models = useMemo(() => modelsOf(audit), [audit]);
  const eps = epsOf(audit);
  const [epsShown, setEpsShown] = useState<number | null>(null);
  const caveat = fewBeatsCaveat(audit);
  const curves = useMemo(() => models.map((m) => ({ model: m, option: robustCurveOption(audit, m, CHART_MIN_WIDTH) as ChartOption })), [audit, models]);
  const worst = useMemo(() => worstCaseOption(models.map((m) => ({ name: m, worst: audit.worst.filter((w) => w.model === m) })), CHART_MIN_WIDTH) as ChartOption, [audit, models]);
  const cells = audit.cells.filter((c) => epsShown === null || c.eps === epsShown);
  const p = audit.provenance;
  return (
    <div className="report" data-testid="report-view">
      {audit.status !== 'succeeded' ? (
        <p className="status-line" role="status">
          This audit is <strong>{audit.status}</strong>: {audit.cellsDone} of {audit.cellsTotal} grid cells are done; the figures cover only those.
        </p>
      ) : null}
      <Section title="Key figures" id="report-summary">
        <KeyFigures audit={audit} />
        {caveat ? (
          <p className="caveat" data-testid="report-caveat">
            {caveat} († marks them.)
          </p>
        ) : null}
      </Section>
      <Section title="Robust accuracy against ε" id="report-curves">
        <div className="chart-pair">
          {curves.map((c) => (
            <figure key={c.model} className="chart-figure">
              <Chart option={c.option} height={300} testId={`curve-${c.model}`} />
              <figcaption>{c.model}: each attack, clean accuracy (dotted) and the worst case over the suite (dashed).</figcaption>
            </figure>
          ))}
          <figure className="chart-figure">
            <Chart option={worst} height={300} testId="curve-worst" />
            <figcaption>Worst-case robust accuracy, every model.</figcaption>
          </figure>
        </div>
      </Section>
      <Section title="Per attack" id="report-cells" tools={<EpsFilter id="cells-eps" eps={eps} value={epsShown} onChange={setEpsShown} />}>
        <RobustTable cells={cells} />
      </Section>
      <Section title="Detection and defence" id="report-detection">
        <DetectionTable cells={cells} />
      </Section>
      <Section title="Per-class F1" id="report-per-class">
        <PerClassTable audit={audit} eps={epsShown} />
      </Section>
      <Section title="Confusion matrices" id="report-confusion">
        <ConfusionPicker audit={audit} />
      </Section>
      <Section title="Example beats" id="report-examples">
        {audit.examples.length === 0 ? (
          <p className="muted">This audit kept no example beats.</p>
        ) : (
          <>
            <p className="legend">
              <span className="legend-clean">━ clean</span> <span className="legend-attacked">━ attacked</span> <span className="muted">beats in normalised units [0, 1]</span>
            </p>
            <div className="overlays">
              {audit.examples.map((ex) => (
                <figure key={`${ex.model}|${ex.label}|${ex.eps}|${ex.beatIndex}`}>
                  <Overlay example={ex} />
                  <figcaption>
                    {ex.model} · {ex.label}, ε = {fmtEps(ex.eps)} · beat {ex.beatIndex} (reference {ex.reference}): {ex.before} → {ex.after}
                    {ex.attacked === null ? '' : `; p(attacked) ${pct(ex.attacked)}`}
                  </figcaption>
                </figure>
              ))}
            </div>
          </>
        )}
      </Section>
      <Section title="Provenance" id="report-provenance">
        <dl className="facts provenance">
          <dt>Audit</dt>
          <dd className="hash">
            {audit.id}
            {audit.rerunOf ? ` (re-run of ${audit.rerunOf})` : ''}
          </dd>
          {p.models.map((m) => (
            <ProvenanceModel key={m.name} name={m.name} kind={m.kind} weights={m.weightsSha256} json={m.modelJsonSha256} />
          ))}
          <dt>Transfer source</dt>
          <dd>{p.source ? `${p.source.name} (weights ${p.source.weightsSha256})` : 'none: each model attacked itself'}</dd>
          <dt>Dataset</dt>
          <dd>
            {p.dataset.name} <span className="hash">({p.dataset.id})</span>
          </dd>
          <dt>Dataset manifest SHA-256</dt>
          <dd className="hash">{p.dataset.manifestHash}</dd>
          <dt>Seed</dt>
          <dd>{p.seed}</dd>
          <dt>Suite</dt>
          <dd>
            {suiteText(audit.suite)}, {audit.mode}; {p.suite.map((s) => `${s.name} ${JSON.stringify(s.params)}`).join('; ')}
          </dd>
          <dt>Backend</dt>
          <dd>
            {p.backend} {p.backendVersion}, {p.workers} workers
          </dd>
          <dt>App version</dt>
          <dd>
            {p.appVersion}
            {p.gitCommit ? ` (commit ${p.gitCommit})` : ''}
          </dd>
          <dt>Started / finished</dt>
          <dd>
            {p.startedAt} / {p.finishedAt ?? 'not finished'}
          </dd>
        </dl>
      </Section>
    </div>
  );
}

function ProvenanceModel({ name, kind, weights, json }: { name: string; kind: string; weights: string; json: string }) {
  return (
    <>
      <dt>
        Model {name} ({kind})
      </dt>
      <dd className="hash">
        weights {weights}
        <br />
        model.json {json}
      </dd>
    </>
  );
}
