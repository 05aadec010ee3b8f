// The one typed contract of the renderer API. Every renderer-callable operation is
// defined here once — input, output and whether it starts a long job — and is bound
// to Electron IPC and to the loopback HTTP host from this single table.
// Pure module (zod only): imported by main, preload-free renderer and tests.
import { z } from 'zod';
import { ERROR_CODES } from './errors.ts';

export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKENDS);
export type BackendName = z.infer<typeof BackendName>;
export const BackendPreference = z.enum(['auto', ...BACKENDS]);

export const ApiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.unknown().optional(),
});

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  backend: BackendName,
  backendDetail: z.object({ simd: z.boolean(), threads: z.number().int(), tried: z.array(z.string()) }),
  node: z.string(),
  electron: z.string().nullable(),
  platform: z.string(),
  dataDir: z.string(),
  dbPath: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Settings = z.object({
  backend: BackendPreference,
  deidentifyOnImport: z.boolean(),
  defaultBeatLength: z.number().int().min(64).max(2048),
});
export type Settings = z.infer<typeof Settings>;
export const SETTINGS_DEFAULTS: Settings = { backend: 'auto', deidentifyOnImport: true, defaultBeatLength: 280 };

export const AuditEntry = z.object({
  id: z.number().int(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  details: z.unknown(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBadId: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export const JobStatus = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.enum(JOB_STATES),
  progress: z.number().min(0).max(1),
  message: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: z.unknown().optional(),
  error: ApiErrorSchema.optional(),
});
export type JobStatus = z.infer<typeof JobStatus>;

/** Events pushed from main to renderer (IPC channel / HTTP event stream). */
export const ApiEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job'), job: JobStatus }),
]);
export type ApiEvent = z.infer<typeof ApiEvent>;

export const JobRef = z.object({ jobId: z.string() });
const Empty = z.object({}).strict();
const Id = z.object({ id: z.string().min(1) }).strict();

interface OpDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** True when the op starts a background job: output is a JobRef, progress arrives as events. */
  job: boolean;
  summary: string;
}
function op<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): OpDef<I, O> {
  return { input, output, job: false, summary };
}
function job<I extends z.ZodType>(input: I, summary: string): OpDef<I, typeof JobRef> {
  return { input, output: JobRef, job: true, summary };
}

export const ops = {
  'app.info': op(Empty, AppInfo, 'Version, compute backend, data folder and database path.'),
  'settings.get': op(Empty, Settings, 'Current settings.'),
  'settings.update': op(Settings.partial().strict(), Settings, 'Change settings; returns the new settings.'),
  'audit.list': op(
    z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    z.array(AuditEntry),
    'Newest audit-log entries first.',
  ),
  'audit.verify': op(Empty, AuditVerification, 'Walk the hash chain of the audit log.'),
  'jobs.list': op(Empty, z.array(JobStatus), 'Jobs of this launch, newest first.'),
  'jobs.get': op(Id, JobStatus, 'One job.'),
  'jobs.cancel': op(Id, JobStatus, 'Ask a running job to stop.'),
  'compute.selfTest': job(
    z.object({ steps: z.number().int().min(1).max(500).default(20) }).strict(),
    'Train a tiny conv1d net on the active backend and report whether its loss falls.',
  ),
} satisfies Record<string, OpDef<z.ZodType, z.ZodType>>;

export type Ops = typeof ops;
export type OpName = keyof Ops;
export const OP_NAMES = Object.keys(ops) as OpName[];
export type OpInput<K extends OpName> = z.input<Ops[K]['input']>;
export type OpParsedInput<K extends OpName> = z.output<Ops[K]['input']>;
export type OpOutput<K extends OpName> = z.output<Ops[K]['output']>;

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.hasOwn(ops, name);
}

/** The client interface the renderer codes against; each transport implements it. */
export interface ApiClient {
  call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  readonly transport: 'ipc' | 'http' | 'in-process';
}
