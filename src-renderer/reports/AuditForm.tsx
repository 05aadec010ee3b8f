// The form that starts a robustness audit: models (several compare side by side), dataset, suite,
// ε list, adaptive or transfer mode (with its source model), beat limit and seed. Empty fields are
// left out so the API's defaults apply; anything typed goes as typed, so the API judges it and the
// field it names shows the error.
import { useState } from 'react';
import { ATTACK_PRESETS, AUDIT_MODES, type AuditInput, type DatasetSummary, type ModelEntry } from '../../src-shared/contract/index.ts';
import { Labelled } from '../components/Field.tsx';

export const AUDIT_FIELDS = ['models', 'dataset', 'suite', 'eps', 'mode', 'source', 'limit', 'seed'] as const;
export type AuditField = (typeof AUDIT_FIELDS)[number];

interface Draft {
  models: string[];
  dataset: string;
  suite: string;
  eps: string;
  mode: (typeof AUDIT_MODES)[number];
  source: string;
  limit: string;
  seed: string;
}

/** "0.005, 0.01 0.02" → [0.005, 0.01, 0.02]; what is not a number stays NaN (sent as null) for the API to name. */
export function parseEpsList(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((t) => t !== '')
    .map(Number);
}

function num(s: string): number | undefined {
  return s.trim() === '' ? undefined : Number(s);
}

/** The input the form sends for a draft (exported for tests). */
export function auditInputOf(d: Draft, fallbackDataset: string): Partial<AuditInput> {
  const limit = num(d.limit);
  const seed = num(d.seed);
  return {
    models: d.models,
    dataset: d.dataset || fallbackDataset,
    suite: d.suite,
    eps: parseEpsList(d.eps),
    mode: d.mode,
    ...(d.mode === 'transfer' && d.source ? { source: d.source } : {}),
    ...(limit === undefined ? {} : { limit }),
    ...(seed === undefined ? {} : { seed }),
  };
}

export function AuditForm({
  models,
  datasets,
  busy,
  errors,
  onSubmit,
}: {
  models: readonly ModelEntry[];
  datasets: readonly DatasetSummary[];
  busy: boolean;
  errors: Partial<Record<AuditField, string>>;
  onSubmit: (input: Partial<AuditInput>) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => ({
    models: models.filter((m) => m.isDefault).map((m) => m.name),
    dataset: '',
    suite: 'paper',
    eps: '0.005, 0.01, 0.02',
    mode: 'adaptive',
    source: '',
    limit: '',
    seed: '1',
  }));
  const set = <K extends keyof Draft>(k: K, v: Draft[K]): void => setDraft((d) => ({ ...d, [k]: v }));
  const dataset = draft.dataset || datasets[0]?.id || '';
  const toggle = (name: string): void => set('models', draft.models.includes(name) ? draft.models.filter((m) => m !== name) : [...draft.models, name]);
  return (
    <form
      noValidate
      aria-label="Start an audit"
      className="train-form audit-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(auditInputOf(draft, dataset));
      }}
    >
      <fieldset className="form-field model-picks" aria-describedby={errors.models ? 'audit-models-error' : undefined}>
        <legend>Models</legend>
        {models.length === 0 ? <p className="muted">No registered models.</p> : null}
        {models.map((m) => (
          <label key={m.name} className="check">
            <input type="checkbox" checked={draft.models.includes(m.name)} onChange={() => toggle(m.name)} /> {m.name} <span className="muted">({m.kind})</span>
          </label>
        ))}
        {errors.models ? (
          <span id="audit-models-error" className="error-text field-error" role="alert">
            {errors.models}
          </span>
        ) : null}
      </fieldset>
      <Labelled id="audit-dataset" label="Dataset (test split)" error={errors.dataset}>
        {(d) => (
          <select id="audit-dataset" aria-describedby={d} value={dataset} onChange={(e) => set('dataset', e.target.value)}>
            {datasets.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} — {Object.values(s.counts.test).reduce((a, b) => a + b, 0)} test beats, {s.classes.join('/')}
              </option>
            ))}
          </select>
        )}
      </Labelled>
      <Labelled id="audit-suite" label="Attack suite" error={errors.suite}>
        {(d) => (
          <select id="audit-suite" aria-describedby={d} value={draft.suite} onChange={(e) => set('suite', e.target.value)}>
            {ATTACK_PRESETS.map((p) => (
              <option key={p} value={p}>
                {p === 'paper' ? 'paper (the ECG-ATK-GAN settings)' : 'strong (more steps, restarts, queries)'}
              </option>
            ))}
          </select>
        )}
      </Labelled>
      <Labelled id="audit-eps" label="ε values (beats in [0, 1]; comma-separated)" error={errors.eps}>
        {(d) => <input id="audit-eps" type="text" inputMode="decimal" aria-describedby={d} value={draft.eps} onChange={(e) => set('eps', e.target.value)} />}
      </Labelled>
      <Labelled id="audit-mode" label="Mode" error={errors.mode}>
        {(d) => (
          <select id="audit-mode" aria-describedby={d} value={draft.mode} onChange={(e) => set('mode', e.target.value as Draft['mode'])}>
            <option value="adaptive">adaptive: attack each model itself</option>
            <option value="transfer">transfer: craft on a source model</option>
          </select>
        )}
      </Labelled>
      {draft.mode === 'transfer' ? (
        <Labelled id="audit-source" label="Source model" error={errors.source}>
          {(d) => (
            <select id="audit-source" aria-describedby={d} value={draft.source} onChange={(e) => set('source', e.target.value)}>
              <option value="">choose…</option>
              {models.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
        </Labelled>
      ) : null}
      <Labelled id="audit-limit" label="Beats (empty: the whole test split)" error={errors.limit}>
        {(d) => <input id="audit-limit" type="number" min={1} aria-describedby={d} value={draft.limit} onChange={(e) => set('limit', e.target.value)} />}
      </Labelled>
      <Labelled id="audit-seed" label="Seed" error={errors.seed}>
        {(d) => <input id="audit-seed" type="number" aria-describedby={d} value={draft.seed} onChange={(e) => set('seed', e.target.value)} />}
      </Labelled>
      <div className="form-actions">
        <button type="submit" disabled={busy || !dataset}>
          Start audit
        </button>
      </div>
    </form>
  );
}
