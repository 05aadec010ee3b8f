// Jobs: long work, persisted with typed parameters, progress metrics and result per kind.
import { z } from 'zod';
import { ErrorSchema, StringId, op } from './define.ts';
import { SelfTestInput, SelfTestProgress, SelfTestResult } from './app.ts';
import { ImportInput, ImportProgress, ImportResult } from './records.ts';
import { CalibrateInput, CalibrateResult, ClassifyInput, ClassifyProgress, ClassifyResult, EvaluateInput, EvaluateProgress, EvaluateResult } from './models.ts';
import { DatasetBuildInput, DatasetImportCsvInput, DatasetProgress, DatasetResult } from './datasets.ts';
import { TrainingMetrics, TrainingParams, TrainingResult } from './training.ts';
import { AuditJobParams, AuditProgress, AuditRunResult } from './audits.ts';
import { AttackBeatInput, AttackBeatProgress, SimulatorResult } from './simulator.ts';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];
/** A job in one of these states will not change again (short of a resume, which starts it anew). */
export const isTerminalJobState = (s: string): boolean => (TERMINAL_JOB_STATES as readonly string[]).includes(s);
/** Ended without finishing: a job (or the audit or run it carries) in these states can be resumed. */
export const RESUMABLE_JOB_STATES = ['interrupted', 'failed', 'cancelled'] as const satisfies readonly JobState[];
export const isResumableJobState = (s: string): s is (typeof RESUMABLE_JOB_STATES)[number] => (RESUMABLE_JOB_STATES as readonly string[]).includes(s);

/** Heavy jobs take the compute pool's one slot and wait as `queued`; io jobs run at once. */
export const JOB_RESOURCES = ['compute', 'io'] as const;
export type JobResource = (typeof JOB_RESOURCES)[number];

interface KindDef<P extends z.ZodType, M extends z.ZodType, R extends z.ZodType> {
  params: P;
  metrics: M;
  result: R;
  resource: JobResource;
  /** A resumable kind can be started again from its stored parameters after an interruption. */
  resumable: boolean;
}
function kind<P extends z.ZodType, M extends z.ZodType, R extends z.ZodType>(d: KindDef<P, M, R>): KindDef<P, M, R> {
  return d;
}

/** Every job kind, with the schemas of its parameters, progress metrics and result. */
export const JOB_KINDS = {
  'records.import': kind({ params: ImportInput, metrics: ImportProgress, result: ImportResult, resource: 'io', resumable: true }),
  'datasets.build': kind({ params: DatasetBuildInput, metrics: DatasetProgress, result: DatasetResult, resource: 'io', resumable: true }),
  'datasets.importCsv': kind({ params: DatasetImportCsvInput, metrics: DatasetProgress, result: DatasetResult, resource: 'io', resumable: true }),
  'compute.selfTest': kind({ params: SelfTestInput, metrics: SelfTestProgress, result: SelfTestResult, resource: 'compute', resumable: false }),
  'models.evaluate': kind({ params: EvaluateInput, metrics: EvaluateProgress, result: EvaluateResult, resource: 'compute', resumable: true }),
  'models.calibrate': kind({ params: CalibrateInput, metrics: EvaluateProgress, result: CalibrateResult, resource: 'compute', resumable: true }),
  'records.classify': kind({ params: ClassifyInput, metrics: ClassifyProgress, result: ClassifyResult, resource: 'compute', resumable: true }),
  'training.run': kind({ params: TrainingParams, metrics: TrainingMetrics, result: TrainingResult, resource: 'compute', resumable: true }),
  'audits.run': kind({ params: AuditJobParams, metrics: AuditProgress, result: AuditRunResult, resource: 'compute', resumable: true }),
  'attacks.beat': kind({ params: AttackBeatInput, metrics: AttackBeatProgress, result: SimulatorResult, resource: 'compute', resumable: false }),
};
export type JobKinds = typeof JOB_KINDS;
export type JobKind = keyof JobKinds;
export const JOB_KIND_NAMES = Object.keys(JOB_KINDS) as JobKind[];
export type JobParams<K extends JobKind> = z.output<JobKinds[K]['params']>;
export type JobMetrics<K extends JobKind> = z.output<JobKinds[K]['metrics']>;
export type JobResult<K extends JobKind> = z.output<JobKinds[K]['result']>;

const JobBase = z.object({
  id: z.string(),
  state: z.enum(JOB_STATES),
  /** Fraction done in [0, 1]. */
  progress: z.number().min(0).max(1),
  /** One line for people; the metrics carry the numbers. */
  message: z.string(),
  resource: z.enum(JOB_RESOURCES),
  resumable: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: ErrorSchema.nullable(),
});

function statusOf<K extends JobKind, P extends z.ZodType, M extends z.ZodType, R extends z.ZodType>(k: K, d: KindDef<P, M, R>) {
  return JobBase.extend({ kind: z.literal(k), params: d.params, metrics: d.metrics.nullable(), result: d.result.nullable() });
}

/** A job as the renderer sees it: narrowing on `kind` types its params, metrics and result. */
export const JobStatus = z.discriminatedUnion('kind', [
  statusOf('records.import', JOB_KINDS['records.import']),
  statusOf('datasets.build', JOB_KINDS['datasets.build']),
  statusOf('datasets.importCsv', JOB_KINDS['datasets.importCsv']),
  statusOf('compute.selfTest', JOB_KINDS['compute.selfTest']),
  statusOf('models.evaluate', JOB_KINDS['models.evaluate']),
  statusOf('models.calibrate', JOB_KINDS['models.calibrate']),
  statusOf('records.classify', JOB_KINDS['records.classify']),
  statusOf('training.run', JOB_KINDS['training.run']),
  statusOf('audits.run', JOB_KINDS['audits.run']),
  statusOf('attacks.beat', JOB_KINDS['attacks.beat']),
]);
export type JobStatus = z.infer<typeof JobStatus>;
export type JobStatusOf<K extends JobKind> = Extract<JobStatus, { kind: K }>;

export const jobOps = {
  'jobs.list': op(
    z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    z.array(JobStatus),
    'Jobs, newest first, including those of earlier launches.',
  ),
  'jobs.get': op(StringId, JobStatus, 'One job.'),
  'jobs.cancel': op(StringId, JobStatus, 'Ask a queued or running job to stop (reaches a compute job within one batch).'),
  'jobs.resume': op(StringId, JobStatus, 'Start an interrupted, failed or cancelled job of a resumable kind again from its stored parameters.'),
};

