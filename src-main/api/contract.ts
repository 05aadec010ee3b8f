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
  /** Display calibration, CSS pixels per real millimetre; null: the CSS nominal 96 dpi (3.78). */
  pixelsPerMm: z.number().min(1).max(40).nullable(),
});
export type Settings = z.infer<typeof Settings>;
export const SETTINGS_DEFAULTS: Settings = { backend: 'auto', deidentifyOnImport: true, defaultBeatLength: 280, pixelsPerMm: null };

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

// --- viewer schemas ---
export const RecordOverview = z.object({
  recordId: z.number().int(),
  lead: z.number().int(),
  framesPerColumn: z.number(),
  min: z.array(z.number().nullable()),
  max: z.array(z.number().nullable()),
  /** Amplitude range of every lead over the whole record (physical units), so strips never rescale. */
  ranges: z.array(z.object({ index: z.number().int(), name: z.string(), min: z.number(), max: z.number() })),
  /** Beats of a class other than N, so rare beats show on the overview. */
  marks: z.array(z.object({ sample: z.number().int(), symbol: z.string(), aami: AAMI_CLASS })),
  /** Instantaneous heart rate at each beat (from the RR interval ending there). */
  heartRate: z.object({ samples: z.array(z.number().int()), bpm: z.array(z.number()) }),
});
export type RecordOverview = z.infer<typeof RecordOverview>;
export const RhythmEpisode = z.object({ start: z.number().int(), end: z.number().int(), code: z.string(), name: z.string() });
export type RhythmEpisode = z.infer<typeof RhythmEpisode>;

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
  // --- viewer ops ---
  'records.overview': op(
    z.object({ id: z.number().int(), lead: z.number().int().min(0).default(0), columns: z.number().int().min(16).max(8192).default(2000) }).strict(),
    RecordOverview,
    'Whole record for the overview strip: one lead min/max per column, every lead\'s amplitude range, non-N beat marks, heart rate per beat.',
  ),
  'records.findBeat': op(
    z.object({ id: z.number().int(), from: z.number().int(), direction: z.enum(['next', 'prev']), aami: AAMI_CLASS.optional(), symbol: z.string().min(1).max(8).optional() }).strict(),
    StoredAnnotation.nullable(),
    'The nearest beat strictly after/before a frame, of an AAMI class or MIT label (any beat if neither).',
  ),
  'records.episodes': op(
    z.object({ id: z.number().int() }).strict(),
    z.array(RhythmEpisode),
    'Rhythm episodes from the rhythm-change annotations: [start, end) frames, code and spelled-out name.',
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
