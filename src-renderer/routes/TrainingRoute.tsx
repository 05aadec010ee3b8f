// Training: start a run (a resumable compute job), follow it live (loss per head per step,
// accuracy per epoch, beats/s, ETA), cancel or resume it, browse past runs and promote a
// finished, registered model to the default.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { epochEnds, isResumableJobState, isTerminalJobState, TRAIN_MODELS, validationOf, type ApiEvent, type ModelCard, type EpochMetrics, type JobStatus, type TrainModel, type SelectBy, type TrainingMetrics, type TrainingRun } from '../../src-shared/contract/index.ts';
import { pct } from '../../src-shared/report.ts';
import { useApi, useApiEvents, useJob, useQuery } from '../api/hooks.ts';
import { DetectorCalibration, detectorFigures } from '../components/DetectorCalibration.tsx';
import { Chart, type ChartOption } from '../components/Chart.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { canResume, runStatus, type RunStatus } from './run-status.ts';
import { Labelled, fieldErrors } from '../components/Field.tsx';

const MODEL_LABELS: Record<TrainModel, string> = {
  'atk-gan': 'ECG-ATK-GAN (robust discriminator)',
  dcnn: 'D-CNN (plain classifier)',
  'dcnn-pgd': 'D-CNN with PGD adversarial training',
  kachuee: 'Kachuee et al. 2018',
};
/** Only these craft attacks while training, so only they take an ε. */
const ATTACKED: ReadonlySet<TrainModel> = new Set(['atk-gan', 'dcnn-pgd']);

/** One loss sample: global step and the running mean per head. */
interface LossPoint {
  step: number;
  losses: Record<string, number>;
}

interface Draft {
  model: TrainModel;
  dataset: string;
  epochs: string;
  batch: string;
  seed: string;
  attackEps: string;
  workers: string;
  selectBy: SelectBy;
  validateEvery: string;
}
const FIELDS = ['model', 'dataset', 'epochs', 'batch', 'seed', 'attackEps', 'workers', 'selectBy', 'validateEvery'] as const;
type Field = (typeof FIELDS)[number];

/** Empty inputs are left out (the API's defaults apply); anything else goes as typed, so the API judges it. */
function num(s: string): number | undefined {
  return s.trim() === '' ? undefined : Number(s);
}

function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
function fmtLoss(v: number | undefined): string {
  if (v === undefined) return '—';
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toFixed(4);
}
function bestVal(epochs: EpochMetrics[]): number | null {
  const v = epochs.map((e) => e.valAccuracy).filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
}

/**
 * What the training charts share: legend on top (scrolling, since a GAN has eight heads), axis tooltip,
 * a whole-number x axis named `xName`, and a y axis named `yName` down its side so the legend cannot cover it.
 */
function chartFrame(xName: string, yName: string, yRange: { scale: true } | { min: number; max: number }): ChartOption {
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 32, bottom: 36 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 24, minInterval: 1 },
    yAxis: { type: 'value', name: yName, nameLocation: 'middle', nameRotate: 90, nameGap: 48, ...yRange },
  };
}

/** Line chart of the loss per head against x, with a caption summarising the last values. */
function LossChart({ points, xName, testId }: { points: LossPoint[]; xName: string; testId: string }) {
  const heads = useMemo(() => [...new Set(points.flatMap((p) => Object.keys(p.losses)))].sort(), [points]);
  const option = useMemo<ChartOption>(
    () => ({
      // The engine reports each head's mean over the epoch so far, so curves restart at each epoch.
      ...chartFrame(xName, 'loss (epoch mean)', { scale: true }),
      series: heads.map((h) => ({ type: 'line', name: h, showSymbol: points.length < 30, data: points.filter((p) => h in p.losses).map((p) => [p.step, p.losses[h]]) })),
    }),
    [heads, points, xName],
  );
  const last = points.at(-1);
  const caption = last
    ? `Loss per head at ${xName} ${last.step}: ${heads.map((h) => `${h} ${fmtLoss(last.losses[h])}`).join(', ')}.`
    : 'No losses yet.';
  return (
    <figure className="chart-figure">
      <Chart option={option} height={240} testId={testId} />
      <figcaption data-testid={`${testId}-caption`}>{caption}</figcaption>
    </figure>
  );
}

function AccuracyChart({ epochs, testId }: { epochs: EpochMetrics[]; testId: string }) {
  // Points inside epochs (--validate-every) share their epoch's number: such a run is drawn by step.
  const byStep = epochs.some((e) => e.partial);
  const option = useMemo<ChartOption>(() => {
    const x = (e: EpochMetrics): number => (byStep ? e.step : e.epoch);
    const f1 = epochs.filter((e) => e.valMacroF1 != null);
    return {
      ...chartFrame(byStep ? 'step' : 'epoch', 'accuracy, macro-F1', { min: 0, max: 1 }),
      series: [
        // Validation drawn first and train dashed on top, so equal curves both stay visible.
        { type: 'line', name: 'validation', data: epochs.filter((e) => e.valAccuracy !== null).map((e) => [x(e), e.valAccuracy]) },
        { type: 'line', name: 'train', symbol: 'triangle', lineStyle: { type: 'dashed' }, data: epochs.filter((e) => e.trainAccuracy !== null).map((e) => [x(e), e.trainAccuracy]) },
        ...(f1.length ? [{ type: 'line' as const, name: 'validation macro-F1', symbol: 'diamond', lineStyle: { type: 'dotted' as const }, data: f1.map((e) => [x(e), e.valMacroF1!]) }] : []),
      ],
    };
  }, [epochs, byStep]);
  const last = epochs.at(-1);
  const lastF1 = last?.valMacroF1 != null ? `, macro-F1 ${last.valMacroF1.toFixed(3)}` : '';
  const caption = last
    ? `Accuracy ${last.partial ? `at step ${last.step} (epoch ${last.epoch})` : `after epoch ${last.epoch}`}: train ${pct(last.trainAccuracy)}, validation ${pct(last.valAccuracy)}${lastF1}; best validation ${pct(bestVal(epochs))}.`
    : 'No finished epoch yet.';
  return (
    <figure className="chart-figure">
      <Chart option={option} height={200} testId={testId} />
      <figcaption data-testid={`${testId}-caption`}>{caption}</figcaption>
    </figure>
  );
}

function epochPoints(epochs: EpochMetrics[]): LossPoint[] {
  return epochs.map((e) => ({ step: e.step, losses: e.lossPerHead }));
}

/**
 * Stored per-epoch points (what a reopened screen has) and step points seen live, in step order.
 * Both carry the running mean of the epoch, so an epoch's end point and its last live step agree.
 */
function mergePoints(stored: LossPoint[], seen: LossPoint[]): LossPoint[] {
  const byStep = new Map<number, LossPoint>();
  for (const p of [...stored, ...seen]) byStep.set(p.step, p);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** Which weights a run kept, and on what: from its card once saved, else from its parameters. */
function kept(run: TrainingRun, card: ModelCard | undefined): string {
  const t = card?.training;
  const by = (t?.selectedBy ?? run.params.selectBy) === 'macro-f1' ? 'validation macro-F1' : 'validation accuracy';
  if (!t) return `the weights best on ${by}`;
  const f1 = card.metrics['validation.macroF1'];
  const acc = card.metrics['validation.accuracy'];
  // A step is worth naming only when points fell inside epochs; otherwise it is the epoch's end.
  const at = t.validateEvery && t.bestStep !== undefined ? `step ${t.bestStep} (epoch ${t.bestEpoch})` : `epoch ${t.bestEpoch}`;
  const figures = [acc !== undefined ? `accuracy ${pct(acc)}` : null, f1 !== undefined ? `macro-F1 ${f1.toFixed(3)}` : null].filter(Boolean).join(', ');
  return `best on ${by}: ${at} of ${t.steps} steps${figures ? `, ${figures}` : ''}`;
}

/** How a run was made, for whoever has to reproduce or judge it: command, warm start, validation hold-out. */
function RunFacts({ run, card }: { run: TrainingRun; card: ModelCard | undefined }) {
  const t = card?.training;
  const hold = card ? validationOf(card) : null;
  const fraction = t?.validationFraction ?? run.params.valFraction;
  const inherited = Boolean(t?.initialisedFrom) && hold !== null && hold.seed !== card?.seed;
  const every = t?.validateEvery ?? run.params.validateEvery;
  return (
    <dl className="facts run-facts" data-testid="run-facts">
      <dt>Command</dt>
      <dd>
        <code>{card?.trainingCommand ?? run.params.command ?? '—'}</code>
      </dd>
      <dt>Warm start</dt>
      <dd>{t?.initialisedFrom ? `${t.initialisedFrom.name} (weights ${t.initialisedFrom.weightsSha256.slice(0, 8)}…)` : (run.params.init ?? 'none: trained from scratch')}</dd>
      <dt>Validation</dt>
      <dd>
        {fraction <= 0
          ? 'none held out: the best epoch is the last'
          : `${pct(fraction)} of the train split${hold ? `, drawn with seed ${hold.seed}${inherited ? ' (the hold-out of the model it started from)' : ''}` : ''}${every ? `, every ${every} steps and at epoch ends` : ''}`}
      </dd>
      <dt>Kept</dt>
      <dd data-testid="run-kept">{kept(run, card)}</dd>
    </dl>
  );
}

export function TrainingRoute() {
  const api = useApi();
  const datasets = useQuery('datasets.list', {});
  const runs = useQuery('training.runs', { limit: 100 });
  const jobs = useQuery('jobs.list', { limit: 1000 });
  const models = useQuery('models.list', {});
  const reloadRuns = runs.reload;
  const reloadJobs = jobs.reload;
  const reloadModels = models.reload;
  // A finished run registers its model: reload the registry with the runs.
  const onFinish = useCallback(() => {
    reloadRuns();
    reloadJobs();
    reloadModels();
  }, [reloadRuns, reloadJobs, reloadModels]);
  const { job, start, error } = useJob(onFinish);

  const [draft, setDraft] = useState<Draft>({ model: 'atk-gan', dataset: '', epochs: '10', batch: '64', seed: '1', attackEps: '0.01', workers: '', selectBy: 'accuracy', validateEvery: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [actionError, setActionError] = useState<string | null>(null);
  // Step-level losses of every run seen live while this screen is open.
  const [live, setLive] = useState<Map<string, LossPoint[]>>(new Map());
  const [liveRun, setLiveRun] = useState<TrainingRun | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const dsList = datasets.data ?? [];
  const dataset = draft.dataset || dsList[0]?.id || '';

  const addPoint = useCallback((m: TrainingMetrics) => {
    setLive((prev) => {
      const pts = prev.get(m.runId) ?? [];
      if (pts.length && pts[pts.length - 1]!.step >= m.step) return prev;
      return new Map(prev).set(m.runId, [...pts, { step: m.step, losses: m.lossPerHead }]);
    });
  }, []);
  useApiEvents(
    useCallback(
      (e: ApiEvent) => {
        if (e.type === 'job' && e.job.kind === 'training.run' && e.job.metrics) addPoint(e.job.metrics);
      },
      [addPoint],
    ),
  );
  // A run followed by polling (started by the CLI or another window) sends no events: its polled
  // status carries the same metrics, so its curve still grows.
  const polled = job?.kind === 'training.run' ? job.metrics : undefined;
  useEffect(() => {
    if (polled) addPoint(polled);
  }, [polled, addPoint]);

  // Reopening the screen while a run is going: follow its job again.
  const running = runs.data?.find((r) => r.status === 'running');
  useEffect(() => {
    if (!job && running) void start(async () => ({ jobId: running.jobId }));
  }, [job, running, start]);

  const runId = job?.kind === 'training.run' ? (job.metrics?.runId ?? job.result?.runId ?? null) : null;
  const epochNow = job?.kind === 'training.run' ? (job.metrics?.epoch ?? 0) : 0;
  const jobState = job?.state;
  const stage = job?.kind === 'training.run' ? job.metrics?.stage : undefined;
  // The run's stored per-epoch metrics, and the history's row of it: on attach, at each new epoch,
  // once the steps are done (an ATK-GAN then calibrates) and when the job ends.
  useEffect(() => {
    if (!runId) return;
    let alive = true;
    api.call('training.get', { id: runId }).then(
      (r) => alive && setLiveRun(r),
      () => undefined,
    );
    reloadRuns();
    return () => {
      alive = false;
    };
  }, [api, runId, epochNow, stage, jobState, reloadRuns]);

  const submit = async (): Promise<void> => {
    setErrors({});
    setActionError(null);
    const workers = num(draft.workers);
    await start(async () => {
      try {
        return await api.call('training.start', {
          model: draft.model,
          dataset,
          epochs: num(draft.epochs),
          batch: num(draft.batch),
          seed: num(draft.seed),
          ...(ATTACKED.has(draft.model) ? { attackEps: num(draft.attackEps) } : {}),
          ...(workers === undefined ? {} : { workers }),
          selectBy: draft.selectBy,
          ...(num(draft.validateEvery) === undefined ? {} : { validateEvery: num(draft.validateEvery) }),
        });
      } catch (e) {
        setErrors(fieldErrors(e, FIELDS));
        throw e;
      }
    });
    reloadRuns();
  };

  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    setActionError(null);
    try {
      await fn();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    }
  };

  const results = useMemo(() => {
    const m = new Map<string, JobStatus>();
    for (const j of jobs.data ?? []) m.set(j.id, j);
    if (job) m.set(job.id, job);
    return m;
  }, [jobs.data, job]);
  const resultOf = (r: TrainingRun) => {
    const j = results.get(r.jobId);
    return j?.kind === 'training.run' ? j.result : null;
  };
  const modelOf = (r: TrainingRun) => (models.data ?? []).find((m) => m.card.training?.runId === r.id);
  // The job's result, or (its job pruned or from an older app version) the registered model's card.
  const testAccuracyOf = (r: TrainingRun): number | undefined => resultOf(r)?.testAccuracy ?? modelOf(r)?.metrics['test.accuracy'];
  // While calibrating, the model's actions wait (calibration rewrites its card).
  const statusOf = (r: TrainingRun): RunStatus => runStatus(r, results.get(r.jobId));

  const metrics = job?.kind === 'training.run' ? job.metrics : null;
  const active = job && !isTerminalJobState(job.state);
  const livePoints = runId ? mergePoints(epochPoints(liveRun?.id === runId ? liveRun.epochs : []), live.get(runId) ?? []) : [];
  const runList = runs.data ?? [];
  const sel = runList.find((r) => r.id === selected) ?? null;
  const registered = sel ? modelOf(sel) : undefined;
  const set = (k: Field) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));

  return (
    <section className="training">
      <h1>Training</h1>
      <div className="training-top">
        <div className="panel">
          <h2>Start a run</h2>
          {dsList.length === 0 && !datasets.loading ? (
            <p className="muted">No datasets yet: build one from records or import a heartbeat CSV (ecgatk dataset build / import-csv).</p>
          ) : null}
          <form
            noValidate
            aria-label="Start a training run"
            className="train-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <Labelled id="train-model" label="Model" error={errors.model}>
              {(d) => (
                <select id="train-model" aria-describedby={d} value={draft.model} onChange={(e) => set('model')(e.target.value)}>
                  {TRAIN_MODELS.map((m) => (
                    <option key={m} value={m}>
                      {MODEL_LABELS[m]}
                    </option>
                  ))}
                </select>
              )}
            </Labelled>
            <Labelled id="train-dataset" label="Dataset" error={errors.dataset}>
              {(d) => (
                <select id="train-dataset" aria-describedby={d} value={dataset} title={dsList.find((s) => s.id === dataset)?.name} onChange={(e) => set('dataset')(e.target.value)}>
                  {dsList.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name} — {s.beats} beats, {s.classes.join('/')}, {s.params.split} split
                    </option>
                  ))}
                </select>
              )}
            </Labelled>
            <Labelled id="train-epochs" label="Epochs" error={errors.epochs}>
              {(d) => <input id="train-epochs" type="number" min={1} aria-describedby={d} value={draft.epochs} onChange={(e) => set('epochs')(e.target.value)} />}
            </Labelled>
            <Labelled id="train-batch" label="Batch size" error={errors.batch}>
              {(d) => <input id="train-batch" type="number" min={2} aria-describedby={d} value={draft.batch} onChange={(e) => set('batch')(e.target.value)} />}
            </Labelled>
            <Labelled id="train-seed" label="Seed" error={errors.seed}>
              {(d) => <input id="train-seed" type="number" aria-describedby={d} value={draft.seed} onChange={(e) => set('seed')(e.target.value)} />}
            </Labelled>
            {ATTACKED.has(draft.model) ? (
              <Labelled id="train-eps" label="Attack ε (beats in [0, 1])" error={errors.attackEps}>
                {(d) => <input id="train-eps" type="number" step={0.001} min={0} max={1} aria-describedby={d} value={draft.attackEps} onChange={(e) => set('attackEps')(e.target.value)} />}
              </Labelled>
            ) : null}
            <Labelled id="train-workers" label="Workers (empty: all)" error={errors.workers}>
              {(d) => <input id="train-workers" type="number" min={1} aria-describedby={d} value={draft.workers} onChange={(e) => set('workers')(e.target.value)} />}
            </Labelled>
            <Labelled id="train-select-by" label="Keep the weights best on" error={errors.selectBy}>
              {(d) => (
                <select id="train-select-by" aria-describedby={d} value={draft.selectBy} onChange={(e) => set('selectBy')(e.target.value)}>
                  <option value="accuracy">validation accuracy</option>
                  <option value="macro-f1" title="every class counts alike, so rare S and F beats are not traded for N">validation macro-F1</option>
                </select>
              )}
            </Labelled>
            <Labelled id="train-validate-every" label="Also validate every N steps (empty: epoch ends)" error={errors.validateEvery}>
              {(d) => <input id="train-validate-every" type="number" min={1} aria-describedby={d} value={draft.validateEvery} onChange={(e) => set('validateEvery')(e.target.value)} />}
            </Labelled>
            <div className="form-actions">
              <button type="submit" disabled={Boolean(active) || !dataset}>
                Start training
              </button>
            </div>
          </form>
          {error ? (
            <p className="error-text" role="alert" data-testid="train-error">
              {error}
            </p>
          ) : null}
        </div>

        <div className="panel live-run">
          <h2>Live run</h2>
          {job?.kind === 'training.run' ? (
            <>
              <div className="job-head">
                <span>
                  {job.params.model} on {dsList.find((d) => d.id === job.params.dataset)?.name ?? job.params.dataset}
                </span>
                <span data-testid="train-state" aria-live="polite">
                  {job.state}
                </span>
              </div>
              <div className="progress-row">
                <progress max={1} value={job.progress} aria-label="Training progress" /> <span data-testid="train-progress">{Math.round(job.progress * 100)}%</span>
              </div>
              <dl className="facts live-facts">
                <dt>Epoch</dt>
                <dd data-testid="train-epoch">{metrics ? `${metrics.epoch} / ${job.params.epochs}` : '—'}</dd>
                <dt>Step</dt>
                <dd data-testid="train-step">{metrics ? `${job.result?.steps ?? metrics.step} (${metrics.stepsPerEpoch} per epoch)` : '—'}</dd>
                <dt>Beats per second</dt>
                <dd data-testid="train-bps">{metrics ? metrics.beatsPerSecond.toFixed(0) : '—'}</dd>
                <dt>ETA</dt>
                <dd data-testid="train-eta">{active ? fmtSeconds(metrics?.etaSeconds) : '—'}</dd>
                {/* After the last step an ATK-GAN job still calibrates its detector: say so rather than sit at 100 %. */}
                {active && metrics?.stage === 'calibrate' ? (
                  <>
                    <dt>Stage</dt>
                    <dd data-testid="train-stage">{job.message}</dd>
                  </>
                ) : null}
                {job.result ? (
                  <>
                    <dt>Test accuracy</dt>
                    <dd data-testid="train-test-accuracy">{pct(job.result.testAccuracy)}</dd>
                  </>
                ) : null}
                {job.result?.detector ? (
                  <>
                    <dt>Detector</dt>
                    <dd data-testid="train-detector">
                      P(attacked) &gt; {job.result.detector.threshold.toFixed(4)}, calibrated {detectorFigures(job.result.detector)}
                    </dd>
                  </>
                ) : null}
              </dl>
              {job.error ? <p className="error-text">{`${job.error.code}: ${job.error.message}`}</p> : null}
              <div className="form-actions">
                {active ? (
                  <button type="button" onClick={() => void act(() => api.call('jobs.cancel', { id: job.id }))}>
                    Cancel (checkpoints)
                  </button>
                ) : null}
                {/* A run is found by its job id too, so a run that failed before its first step resumes as well. */}
                {!active && job.resumable && isResumableJobState(job.state) ? (
                  <button type="button" onClick={() => void start(() => api.call('training.resume', { run: job.id }))}>
                    Resume
                  </button>
                ) : null}
              </div>
              <LossChart points={livePoints} xName="step" testId="train-loss-chart" />
              <AccuracyChart epochs={liveRun?.id === runId ? liveRun.epochs : []} testId="train-accuracy-chart" />
            </>
          ) : (
            <p className="muted">No run in progress. Start one, or resume an interrupted run from the history.</p>
          )}
        </div>
      </div>
      {actionError ? (
        <p className="error-text" role="alert">
          {actionError}
        </p>
      ) : null}

      <div className="panel">
        <h2>History</h2>
        {runList.length === 0 && !runs.loading ? (
          <EmptyState title="No training runs yet">
            <p>Runs checkpoint as they go and can be resumed after a cancel or a crash.</p>
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="grid" data-testid="training-runs">
              <caption className="visually-hidden">Training runs, newest first; select one to see its metrics</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Dataset</th>
                  <th scope="col">Status</th>
                  <th scope="col">Epochs</th>
                  <th scope="col">Best val. acc.</th>
                  <th scope="col">Test acc.</th>
                  <th scope="col">Wall time</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {runList.map((r) => {
                  const res = resultOf(r);
                  const status = statusOf(r);
                  const choose = (): void => setSelected(r.id === selected ? null : r.id);
                  return (
                    <tr
                      key={r.id}
                      tabIndex={0}
                      data-run-id={r.id}
                      data-status={status}
                      aria-selected={r.id === selected}
                      className={r.id === selected ? 'selected' : ''}
                      onClick={choose}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          choose();
                        }
                      }}
                    >
                      <td className="name">{r.model}</td>
                      <td>{dsList.find((d) => d.id === r.datasetId)?.name ?? r.datasetId}</td>
                      <td className={`job-state-${status === 'calibrating' ? 'running' : status}`}>{status}</td>
                      <td className="num">
                        {epochEnds(r.epochs).length} / {r.params.epochs}
                      </td>
                      <td className="num">{pct(res?.bestValAccuracy ?? bestVal(r.epochs))}</td>
                      <td className="num" data-testid="run-test-accuracy">
                        {pct(testAccuracyOf(r))}
                      </td>
                      <td className="num">{fmtSeconds(res?.wallSeconds ?? epochEnds(r.epochs).reduce((s, e) => s + e.seconds, 0))}</td>
                      <td>{new Date(r.createdAt).toLocaleString()}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {sel ? (
          <div className="run-detail" data-testid="run-detail">
            <h3>
              {sel.model} run {sel.id.slice(0, 8)}
            </h3>
            <div className="form-actions">
              {canResume(statusOf(sel)) && !active ? (
                <button type="button" onClick={() => void start(() => api.call('training.resume', { run: sel.id }))}>
                  Resume this run
                </button>
              ) : null}
              {statusOf(sel) === 'calibrating' ? (
                <span className="muted">Calibrating the detector; the model’s actions follow when it is done.</span>
              ) : sel.status === 'succeeded' ? (
                registered ? (
                  registered.isDefault ? (
                    <span className="ok-text">{registered.name} is the default model.</span>
                  ) : (
                    <button
                      type="button"
                      onClick={() =>
                        void act(async () => {
                          await api.call('models.setDefault', { name: registered.name });
                          models.reload();
                        })
                      }
                    >
                      Make {registered.name} the default
                    </button>
                  )
                ) : (
                  <span className="muted" data-testid="default-unavailable">
                    Make default is unavailable: this run’s model ({sel.modelDir ?? 'no folder'}) is not in the model registry. Copy its folder into the models folder (or
                    ECGATK_MODELS_DIR) and restart to register it.
                  </span>
                )
              ) : null}
            </div>
            <RunFacts run={sel} card={registered?.card} />
            {registered?.kind === 'atk-gan-d' && statusOf(sel) !== 'calibrating' ? <DetectorCalibration model={registered} onDone={models.reload} /> : null}
            <div className="chart-pair">
              <LossChart points={epochPoints(sel.epochs)} xName="step" testId="run-loss-chart" />
              <AccuracyChart epochs={sel.epochs} testId="run-accuracy-chart" />
            </div>
          </div>
        ) : null}
      </div>
    </section>
  );
}
