// `ecgatk audit …`, `ecgatk audits` and `ecgatk report export`: robustness audits through the typed
// core client — run one (a resumable job; Ctrl+C stops it, `audit resume` continues it), re-run one
// and check every stored number came back, list them, export a report.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { jobResult, type CoreClient, type Io } from './client.ts';
import { modelRef } from './models.ts';
import { ATTACK_PRESETS, REPORT_FORMATS, type Audit, type JobStatus, type OpInput } from '../../src-shared/contract/index.ts';
import { AppError } from '../../src-shared/errors.ts';

export const AUDIT_USAGE = `usage: ecgatk audit --model <name|dir> [--model …] --dataset <id|name> [--suite paper|strong|<file.json>]
                    [--eps 0.005,0.01,0.02] [--mode adaptive|transfer --source <model>] [--lambdas 0,1,10]
                    [--limit N] [--seed S] [--examples N] [--json]
       ecgatk audit resume <id> [--json]
       ecgatk audit rerun <id> [--json]`;

/** Audit fields whose flag is not the kebab-case of their name (for validation messages). */
export const AUDIT_FLAGS: Record<string, string> = { models: '--model', eps: '--eps', lambdas: '--lambdas' };

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(2)}%`);
const list = (v: string | undefined): number[] | undefined => (v === undefined ? undefined : v.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s))));

export function parseAuditArgs(args: string[]): { input: OpInput<'audits.start'>; json: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string', multiple: true },
      dataset: { type: 'string' },
      suite: { type: 'string' },
      eps: { type: 'string' },
      mode: { type: 'string' },
      source: { type: 'string' },
      lambdas: { type: 'string' },
      limit: { type: 'string' },
      seed: { type: 'string' },
      examples: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  const suite = values.suite === undefined || (ATTACK_PRESETS as readonly string[]).includes(values.suite) ? values.suite : resolve(values.suite);
  const input = {
    models: (values.model ?? []).map(modelRef),
    dataset: values.dataset,
    suite,
    eps: list(values.eps),
    mode: values.mode,
    source: values.source === undefined ? undefined : modelRef(values.source),
    lambdas: list(values.lambdas),
    limit: values.limit === undefined ? undefined : Number(values.limit),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    examples: values.examples === undefined ? undefined : Number(values.examples),
  };
  // Unset flags take the contract's defaults; the contract validates the rest (errors name the flag).
  return { input: Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as OpInput<'audits.start'>, json: values.json === true };
}

/** The audit table: model × attack × ε, the worst cases, detection for detector models, provenance. */
export function printAudit(a: Audit, io: Io): void {
  const p = a.provenance;
  io.out(`audit ${a.id}${a.rerunOf ? ` (re-run of ${a.rerunOf})` : ''}: ${a.status}, dataset ${a.dataset} (${p.dataset.manifestHash.slice(0, 12)}), ${a.beats} test beats, suite ${a.suite}, ${a.mode} mode${p.source ? ` (crafted on ${p.source.name})` : ''}, seed ${p.seed}`);
  for (const c of a.clean) io.out(`clean accuracy ${c.model}: ${pct(c.accuracy)}`);
  const detector = a.cells.some((c) => c.detection);
  io.out(['model'.padEnd(24), 'attack'.padEnd(20), 'ε'.padStart(7), 'robust acc'.padStart(11), '95% CI'.padStart(17), 'ASR'.padStart(8), 'beats'.padStart(6), ...(detector ? ['detected'.padStart(9), 'defended'.padStart(9), 'undetected'.padStart(11)] : [])].join(' '));
  for (const c of a.cells) {
    const det = c.detection;
    io.out(
      [
        c.model.padEnd(24),
        c.label.padEnd(20),
        String(c.eps).padStart(7),
        pct(c.robustAccuracy).padStart(11),
        `${pct(c.robustAccuracyCi95.low)}–${pct(c.robustAccuracyCi95.high)}`.padStart(17),
        pct(c.attackSuccessRate).padStart(8),
        String(c.beats).padStart(6),
        ...(detector ? [pct(det?.tpr).padStart(9), pct(det?.defendedRate).padStart(9), pct(det?.undetectedMisclassified).padStart(11)] : []),
      ].join(' '),
    );
  }
  if (a.worst.length) {
    io.out('worst case over the suite (a beat is robust only if every attack held to that ε failed on it):');
    for (const w of a.worst) io.out(`  ${w.model.padEnd(24)} ε=${String(w.eps).padEnd(7)} robust ${pct(w.robustAccuracy)} (95% CI ${pct(w.robustAccuracyCi95.low)}–${pct(w.robustAccuracyCi95.high)}) of ${w.beats} beats${w.defendedRate === null ? '' : `, defended ${pct(w.defendedRate)}`}`);
  }
  io.out(`provenance: backend ${p.backend} (${p.backendVersion}), ${p.workers} worker(s), app ${p.appVersion}${p.gitCommit ? ` (commit ${p.gitCommit.slice(0, 12)})` : ''}, ${p.startedAt} → ${p.finishedAt ?? '…'}`);
}

/** Runs the audit job; a stopped one says how to continue it. */
async function runAuditJob(api: CoreClient, start: () => Promise<JobStatus>, io: Io): Promise<Audit> {
  const status = await start();
  if (status.kind === 'audits.run' && status.state !== 'succeeded' && status.metrics) {
    io.err(`audit ${status.metrics.auditId} stopped after ${status.metrics.cellsDone}/${status.metrics.cellsTotal} cells; continue with: ecgatk audit resume ${status.metrics.auditId}`);
  }
  const r = jobResult(status, 'audits.run');
  return api.call('audits.get', { id: r.auditId });
}

export async function cmdAudit(api: CoreClient, args: string[], io: Io): Promise<number> {
  if (args[0] === 'rerun') {
    const { values, positionals } = parseArgs({ args: args.slice(1), options: { json: { type: 'boolean' } }, allowPositionals: true });
    if (positionals.length !== 1) {
      io.err(AUDIT_USAGE);
      return 2;
    }
    const original = await api.call('audits.get', { id: positionals[0]! });
    const rerun = await runAuditJob(api, () => api.runJob('audits.rerun', { id: original.id }), io);
    const cmp = await api.call('audits.compare', { id: original.id, with: rerun.id });
    if (values.json) io.out(JSON.stringify(cmp, null, 2));
    else {
      printAudit(rerun, io);
      if (cmp.reproduced) io.out(`reproduced: every stored number of audit ${original.id} came back in ${rerun.id} (${cmp.cells} cells)`);
      else {
        io.out(`NOT reproduced: ${cmp.mismatches.length}${cmp.mismatches.length === 50 ? '+' : ''} figure(s) of audit ${original.id} differ in ${rerun.id}`);
        for (const m of cmp.mismatches) io.out(`  ${m.model} × ${m.label} × ε=${m.eps}: ${m.field} ${JSON.stringify(m.original)} → ${JSON.stringify(m.rerun)}`);
      }
    }
    return cmp.reproduced ? 0 : 3;
  }
  if (args.length === 0) {
    io.err(AUDIT_USAGE);
    return 2;
  }
  let audit: Audit;
  let json: boolean;
  if (args[0] === 'resume') {
    const { values, positionals } = parseArgs({ args: args.slice(1), options: { json: { type: 'boolean' } }, allowPositionals: true });
    if (positionals.length !== 1) {
      io.err(AUDIT_USAGE);
      return 2;
    }
    json = values.json === true;
    audit = await runAuditJob(api, () => api.runJob('audits.resume', { id: positionals[0]! }), io);
  } else {
    const parsed = parseAuditArgs(args);
    json = parsed.json;
    audit = await runAuditJob(api, () => api.runJob('audits.start', parsed.input), io);
  }
  if (json) io.out(JSON.stringify(audit, null, 2));
  else printAudit(audit, io);
  return 0;
}

export async function cmdAudits(api: CoreClient, args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, limit: { type: 'string' } } });
  const audits = await api.call('audits.list', { limit: values.limit === undefined ? 50 : Number(values.limit) });
  if (values.json) io.out(JSON.stringify(audits, null, 2));
  else if (audits.length === 0) io.out('no audits yet (ecgatk audit --model … --dataset …)');
  else for (const a of audits) io.out(`${a.id}  ${a.status.padEnd(9)} ${`${a.cellsDone}/${a.cellsTotal}`.padStart(7)} cells  ${a.createdAt.replace('T', ' ').slice(0, 19)}  ${a.models.join(',')} on ${a.dataset} (${a.beats} beats), ${a.suite}, ε ${a.eps.join(',')}, ${a.mode}${a.rerunOf ? `, re-run of ${a.rerunOf.slice(0, 8)}` : ''}`);
  return 0;
}

export async function cmdReport(api: CoreClient, args: string[], io: Io): Promise<number> {
  const usage = `usage: ecgatk report export <audit id> --format ${REPORT_FORMATS.join('|')} [--out FILE]`;
  if (args[0] !== 'export') {
    io.err(usage);
    return 2;
  }
  const { values, positionals } = parseArgs({ args: args.slice(1), options: { format: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1 || values.format === undefined) {
    io.err(usage);
    return 2;
  }
  if (!(REPORT_FORMATS as readonly string[]).includes(values.format)) throw new AppError('INVALID_INPUT', `--format: expected one of ${REPORT_FORMATS.join(', ')}, got "${values.format}"`);
  const r = await api.call('audits.export', { id: positionals[0]!, format: values.format as (typeof REPORT_FORMATS)[number], ...(values.out ? { out: resolve(values.out) } : {}) });
  io.out(`${r.format} report written: ${r.path} (${r.bytes} bytes)`);
  return 0;
}
