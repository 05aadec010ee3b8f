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

export const AAMI_CLASS = z.enum(['N', 'S', 'V', 'F', 'Q']);
export const LeadInfo = z.object({ name: z.string(), units: z.string(), frequency: z.number() });
export const RecordSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  format: z.enum(['wfdb', 'edf', 'csv']),
  sourcePath: z.string(),
  contentHash: z.string(),
  frequency: z.number(),
  numFrames: z.number().int(),
  durationSeconds: z.number(),
  startTime: z.string().nullable(),
  startDate: z.string().nullable(),
  leads: z.array(LeadInfo),
  info: z.array(z.string()),
  classCounts: z.object({ N: z.number(), S: z.number(), V: z.number(), F: z.number(), Q: z.number(), other: z.number(), detected: z.number() }),
  annotator: z.string().nullable(),
  deidentified: z.boolean(),
  importedAt: z.string(),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number() })),
});
export type RecordSummary = z.infer<typeof RecordSummary>;

export const ImportItem = z.object({
  path: z.string(),
  name: z.string().nullable(),
  recordId: z.number().int().nullable(),
  status: z.enum(['imported', 'unchanged', 'replaced', 'failed']),
  error: z.string().nullable(),
});
export type ImportItem = z.infer<typeof ImportItem>;

/** At most this many frames per window request (the viewer pages through long records). */
export const MAX_WINDOW_FRAMES = 200_000;
export const RecordWindow = z.object({
  recordId: z.number().int(),
  from: z.number().int(),
  to: z.number().int(),
  frequency: z.number(),
  leads: z.array(LeadInfo.extend({ index: z.number().int(), values: z.array(z.number().nullable()) })),
});
export type RecordWindow = z.infer<typeof RecordWindow>;

export const StoredAnnotation = z.object({
  sample: z.number().int(),
  symbol: z.string(),
  aami: AAMI_CLASS.nullable(),
  subtype: z.number().int(),
  chan: z.number().int(),
  num: z.number().int(),
  aux: z.string().nullable(),
  source: z.enum(['reference', 'detector']),
});
export type StoredAnnotation = z.infer<typeof StoredAnnotation>;

export const DatasetBuildInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    recordIds: z.array(z.number().int()).min(1),
    preset: z.enum(['paper', 'benchmark']).default('paper'),
    classes: z.union([z.literal(4), z.literal(5)]).default(4),
    split: z.enum(['random', 'interpatient']).default('random'),
    testFraction: z.number().gt(0).lt(1).default(0.2),
    seed: z.number().int().default(1),
    lead: z.string().default('MLII'),
  })
  .strict();
export const DatasetSummary = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  hash: z.string(),
  beats: z.number().int(),
  beatLength: z.number().int(),
  classes: z.array(z.string()),
  counts: z.object({ train: z.record(z.string(), z.number()), test: z.record(z.string(), z.number()), total: z.record(z.string(), z.number()), reference: z.record(z.string(), z.number()) }),
  classWeights: z.record(z.string(), z.number()),
  params: z.record(z.string(), z.unknown()),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;
const Empty = z.object({}).strict();
const Id = z.object({ id: z.string().min(1) }).strict();

// --- record list schemas ---
export const RecordRhythms = z.object({ recordId: z.number().int(), labels: z.array(z.string()) });
export type RecordRhythms = z.infer<typeof RecordRhythms>;
export const PathCheck = z.object({ path: z.string(), problem: z.string().nullable() });
export type PathCheck = z.infer<typeof PathCheck>;
export const OpenPathsResult = z.object({
  /** False where no native dialog exists (browser mode): use the browser's file input instead. */
  available: z.boolean(),
  paths: z.array(z.string()),
});
export type OpenPathsResult = z.infer<typeof OpenPathsResult>;
/** Browser-mode uploads: POST /api/upload, body = the files' bytes in order, this header = URI-encoded JSON [{ name, bytes }]. */
export const UPLOAD_PATH = '/api/upload';
export const UPLOAD_HEADER = 'x-ecgatk-files';
/** Largest upload (all its files together) the host accepts by default. */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** Reply of the browser-mode upload endpoint (POST /api/upload): the import job of the uploaded files. */
export const UploadResult = z.object({ jobId: z.string(), uploadId: z.string(), files: z.array(z.string()) });
export type UploadResult = z.infer<typeof UploadResult>;
// --- end record list schemas ---

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
  'records.import': job(
    z.object({ paths: z.array(z.string().min(1)).min(1).max(1000), deidentify: z.boolean().optional(), csvFrequency: z.number().positive().max(100_000).optional() }).strict(),
    'Import WFDB (.hea), EDF and signal CSV files or folders into the catalog; result lists each file.',
  ),
  'records.importSamples': job(Empty, 'Import the sample records bundled with the app.'),
  'records.list': op(Empty, z.array(RecordSummary), 'The record catalog.'),
  'records.get': op(z.object({ id: z.number().int() }).strict(), RecordSummary, 'One record.'),
  'records.window': op(
    z
      .object({ id: z.number().int(), from: z.number().int().min(0), to: z.number().int().min(1), leads: z.array(z.number().int().min(0)).max(64).optional() })
      .strict()
      .refine((v) => v.to > v.from && v.to - v.from <= MAX_WINDOW_FRAMES, { message: `to must exceed from by at most ${MAX_WINDOW_FRAMES} frames` }),
    RecordWindow,
    'Samples (physical units) of frames [from, to); gaps are null.',
  ),
  'records.annotations': op(
    z.object({ id: z.number().int(), from: z.number().int().min(0), to: z.number().int().min(0) }).strict(),
    z.array(StoredAnnotation),
    'Annotations with from <= sample < to.',
  ),
  'datasets.build': job(DatasetBuildInput, 'Segment beats from catalog records into a labelled, split dataset.'),
  'datasets.importCsv': job(
    z
      .object({
        name: z.string().trim().min(1).max(100),
        train: z.string().min(1),
        test: z.string().min(1).optional(),
        labels: z.array(z.string().min(1)).min(2).max(64).optional(),
        frequency: z.number().positive().optional(),
      })
      .strict(),
    'A heartbeat-benchmark CSV (beats then an integer label), with its standard test file if given, as a dataset.',
  ),
  'datasets.list': op(Empty, z.array(DatasetSummary), 'Built datasets.'),
  'compute.selfTest': job(
    z.object({ steps: z.number().int().min(1).max(500).default(20) }).strict(),
    'Train a tiny conv1d net on the active backend and report whether its loss falls.',
  ),
  // --- record list ops ---
  'records.rhythms': op(Empty, z.array(RecordRhythms), 'Distinct rhythm labels (e.g. "(AFIB") of each record that has any.'),
  'records.checkPaths': op(
    z.object({ paths: z.array(z.string()).min(1).max(1000) }).strict(),
    z.array(PathCheck),
    'Check typed import paths; a relative, missing or unreadable path gets a message saying what to type.',
  ),
  'dialog.openPaths': op(
    z.object({ kind: z.enum(['files', 'folder']) }).strict(),
    OpenPathsResult,
    'Native open dialog of the desktop shell; answers available: false where there is none (browser mode).',
  ),
  // --- end record list ops ---
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
