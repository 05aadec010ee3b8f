// Records: import into the catalog, list, and read windows of samples and annotations.
import { z } from 'zod';
import { Empty, job, op } from './define.ts';

export const AAMI_CLASSES = ['N', 'S', 'V', 'F', 'Q'] as const;
export const AamiClass = z.enum(AAMI_CLASSES);
export type AamiClass = z.infer<typeof AamiClass>;

export const RECORD_FORMATS = ['wfdb', 'edf', 'csv'] as const;
export const RecordFormat = z.enum(RECORD_FORMATS);
export type RecordFormat = z.infer<typeof RecordFormat>;

export const LeadInfo = z.object({ name: z.string(), units: z.string(), frequency: z.number() });
export type LeadInfo = z.infer<typeof LeadInfo>;

export const ClassCounts = z.object({ N: z.number(), S: z.number(), V: z.number(), F: z.number(), Q: z.number(), other: z.number(), detected: z.number() });
export type ClassCounts = z.infer<typeof ClassCounts>;

export const RecordFile = z.object({ path: z.string(), sha256: z.string(), bytes: z.number() });

export const RecordSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  format: RecordFormat,
  sourcePath: z.string(),
  /** The folder the record was imported from: with the name, its identity. */
  folder: z.string(),
  contentHash: z.string(),
  frequency: z.number(),
  numFrames: z.number().int(),
  durationSeconds: z.number(),
  startTime: z.string().nullable(),
  startDate: z.string().nullable(),
  leads: z.array(LeadInfo),
  info: z.array(z.string()),
  classCounts: ClassCounts,
  annotator: z.string().nullable(),
  deidentified: z.boolean(),
  importedAt: z.string(),
  files: z.array(RecordFile),
});
export type RecordSummary = z.infer<typeof RecordSummary>;

export const IMPORT_STATUSES = ['imported', 'unchanged', 'replaced', 'failed'] as const;
export const ImportItem = z.object({
  path: z.string(),
  name: z.string().nullable(),
  recordId: z.number().int().nullable(),
  status: z.enum(IMPORT_STATUSES),
  error: z.string().nullable(),
});
export type ImportItem = z.infer<typeof ImportItem>;

export const ImportInput = z
  .object({
    paths: z.array(z.string().min(1)).min(1).max(1000),
    deidentify: z.boolean().optional(),
    annotator: z.string().min(1).max(32).optional(),
    csvFrequency: z.number().positive().max(100_000).optional(),
  })
  .strict();
export type ImportInput = z.infer<typeof ImportInput>;
export const ImportProgress = z.object({ done: z.number().int(), total: z.number().int(), path: z.string() });
export const ImportResult = z.array(ImportItem);

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
  aami: AamiClass.nullable(),
  subtype: z.number().int(),
  chan: z.number().int(),
  num: z.number().int(),
  aux: z.string().nullable(),
  source: z.enum(['reference', 'detector']),
});
export type StoredAnnotation = z.infer<typeof StoredAnnotation>;

/** At most this many frames per samples request (the CLI pages through long records). */
export const MAX_SAMPLE_FRAMES = 65_536;
export const RecordSamples = z.object({
  recordId: z.number().int(),
  from: z.number().int(),
  to: z.number().int(),
  frequency: z.number(),
  /** Frames the signal files hold (may be fewer than the header promises). */
  availableFrames: z.number().int(),
  signals: z.array(z.number().int()),
  /** One column per signal: raw ADC units (WFDB's low-resolution frame means), or physical; null for invalid samples. */
  columns: z.array(z.array(z.number().nullable())),
});
export type RecordSamples = z.infer<typeof RecordSamples>;

export const RecordRhythms = z.object({ recordId: z.number().int(), labels: z.array(z.string()) });
export type RecordRhythms = z.infer<typeof RecordRhythms>;
export const PathCheck = z.object({ path: z.string(), problem: z.string().nullable() });
export type PathCheck = z.infer<typeof PathCheck>;

/** Browser-mode uploads: POST /api/upload, body = the files' bytes in order, this header = URI-encoded JSON [{ name, bytes }]. */
export const UPLOAD_PATH = '/api/upload';
export const UPLOAD_HEADER = 'x-ecgatk-files';
/** Largest upload (all its files together) the host accepts by default. */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** Reply of the browser-mode upload endpoint: the import job of the uploaded files. */
export const UploadResult = z.object({ jobId: z.string(), uploadId: z.string(), files: z.array(z.string()) });
export type UploadResult = z.infer<typeof UploadResult>;

export const RecordOverview = z.object({
  recordId: z.number().int(),
  lead: z.number().int(),
  framesPerColumn: z.number(),
  min: z.array(z.number().nullable()),
  max: z.array(z.number().nullable()),
  /** Amplitude range of every lead over the whole record (physical units), so strips never rescale. */
  ranges: z.array(z.object({ index: z.number().int(), name: z.string(), min: z.number(), max: z.number() })),
  /** Beats of a class other than N, so rare beats show on the overview. */
  marks: z.array(z.object({ sample: z.number().int(), symbol: z.string(), aami: AamiClass })),
  /** Instantaneous heart rate at each beat (from the RR interval ending there). */
  heartRate: z.object({ samples: z.array(z.number().int()), bpm: z.array(z.number()) }),
});
export type RecordOverview = z.infer<typeof RecordOverview>;
export const RhythmEpisode = z.object({ start: z.number().int(), end: z.number().int(), code: z.string(), name: z.string() });
export type RhythmEpisode = z.infer<typeof RhythmEpisode>;

const RecordId = z.object({ id: z.number().int() }).strict();

export const recordOps = {
  'records.import': job(ImportInput, 'Import WFDB (.hea), EDF and signal CSV files or folders into the catalog; result lists each file.'),
  'records.importSamples': job(Empty, 'Import the sample records bundled with the app.'),
  'records.list': op(Empty, z.array(RecordSummary), 'The record catalog.'),
  'records.get': op(RecordId, RecordSummary, 'One record.'),
  'records.resolve': op(
    z.object({ ref: z.string().trim().min(1).max(4096) }).strict(),
    RecordSummary,
    'A record by id, by name when unambiguous, or by folder/name; an ambiguous name lists the candidates.',
  ),
  'records.window': op(
    z
      .object({ id: z.number().int(), from: z.number().int().min(0), to: z.number().int().min(1), leads: z.array(z.number().int().min(0)).max(64).optional() })
      .strict()
      .refine((v) => v.to > v.from && v.to - v.from <= MAX_WINDOW_FRAMES, { message: `to must exceed from by at most ${MAX_WINDOW_FRAMES} frames` }),
    RecordWindow,
    'Samples (physical units) of frames [from, to); gaps are null.',
  ),
  'records.rhythms': op(Empty, z.array(RecordRhythms), 'Distinct rhythm labels (e.g. "(AFIB") of each record that has any.'),
  'records.checkPaths': op(
    z.object({ paths: z.array(z.string()).min(1).max(1000) }).strict(),
    z.array(PathCheck),
    'Check typed import paths; a relative, missing or unreadable path gets a message saying what to type.',
  ),
  'records.samples': op(
    z
      .object({ id: z.number().int(), from: z.number().int().min(0), to: z.number().int().min(1), signals: z.array(z.number().int().min(0)).max(64).optional(), physical: z.boolean().default(false) })
      .strict()
      .refine((v) => v.to > v.from && v.to - v.from <= MAX_SAMPLE_FRAMES, { message: `to must exceed from by at most ${MAX_SAMPLE_FRAMES} frames` }),
    RecordSamples,
    'Samples of a WFDB record as rdsamp gives them: raw ADC units (or physical), one value per frame.',
  ),
  'records.overview': op(
    z.object({ id: z.number().int(), lead: z.number().int().min(0).default(0), columns: z.number().int().min(16).max(8192).default(2000) }).strict(),
    RecordOverview,
    "Whole record for the overview strip: one lead min/max per column, every lead's amplitude range, non-N beat marks, heart rate per beat.",
  ),
  'records.findBeat': op(
    z.object({ id: z.number().int(), from: z.number().int(), direction: z.enum(['next', 'prev']), aami: AamiClass.optional(), symbol: z.string().min(1).max(8).optional() }).strict(),
    StoredAnnotation.nullable(),
    'The nearest beat strictly after/before a frame, of an AAMI class or MIT label (any beat if neither).',
  ),
  'records.episodes': op(
    RecordId,
    z.array(RhythmEpisode),
    'Rhythm episodes from the rhythm-change annotations: [start, end) frames, code and spelled-out name.',
  ),
  'records.annotations': op(
    z.object({ id: z.number().int(), from: z.number().int().min(0), to: z.number().int().min(0), annotator: z.string().regex(/^[A-Za-z0-9_]{1,32}$/).optional() }).strict(),
    z.array(StoredAnnotation),
    'Annotations with from <= sample < to: the catalog\'s, or read from another annotator\'s file of a WFDB record.',
  ),
};
