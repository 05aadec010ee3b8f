// Datasets: labelled, split beat windows built from catalog records or imported from tables.
import { z } from 'zod';
import { Empty, job, op } from './define.ts';

export const BeatWindowSpec = z.object({
  /** Sampling rate of the beats, Hz. */
  frequency: z.number().positive(),
  /** Samples before the R peak (at `frequency`). */
  before: z.number().int().min(0),
  /** Total samples per beat. */
  length: z.number().int().positive(),
  /** Zero everything after this multiple of the local median RR (benchmark layout), or null. */
  truncateRR: z.number().positive().nullable(),
  normalise: z.enum(['minmax', 'none']),
});
export type BeatWindowSpec = z.infer<typeof BeatWindowSpec>;

export const SPLIT_KINDS = ['random', 'interpatient', 'standard'] as const;
export const DatasetParams = z.object({
  name: z.string(),
  /** 'table': beats imported as they are from a heartbeat CSV. */
  preset: z.enum(['paper', 'benchmark', 'table']),
  window: BeatWindowSpec,
  classes: z.number().int(),
  split: z.enum(SPLIT_KINDS),
  testFraction: z.number(),
  seed: z.number().int(),
  lead: z.string(),
});
export type DatasetParams = z.infer<typeof DatasetParams>;

const Counts = z.record(z.string(), z.number());
export const DatasetManifest = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  appVersion: z.string(),
  params: DatasetParams,
  classes: z.array(z.string()),
  sources: z.array(z.object({ record: z.string(), files: z.array(z.object({ path: z.string(), sha256: z.string() })) })),
  /** reference: every annotated beat of these classes in the records used; total: beats extracted (edge beats whose window leaves the record are skipped). */
  counts: z.object({ train: Counts, test: Counts, total: Counts, reference: Counts }),
  classWeights: Counts,
  beats: z.number().int(),
  beatLength: z.number().int(),
  hash: z.string(),
});
export type DatasetManifest = z.infer<typeof DatasetManifest>;

/** What lists show: the manifest without its (long) source list. */
export const DatasetSummary = DatasetManifest.omit({ sources: true });
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const DatasetBuildInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    recordIds: z.array(z.number().int()).min(1),
    preset: z.enum(['paper', 'benchmark']).default('paper'),
    classes: z.union([z.literal(4), z.literal(5)], { error: 'must be 4 or 5' }).default(4),
    split: z.enum(['random', 'interpatient']).default('random'),
    testFraction: z.number().gt(0).lt(1).default(0.2),
    seed: z.number().int().default(1),
    lead: z.string().default('MLII'),
  })
  .strict();
export type DatasetBuildInput = z.infer<typeof DatasetBuildInput>;

export const DatasetImportCsvInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** A table whose last column is the class label (with its standard test file, if any)… */
    train: z.string().min(1).optional(),
    test: z.string().min(1).optional(),
    /** …or one table per class (PTB: ptbdb_normal.csv, ptbdb_abnormal.csv): the class comes from the file. */
    classFiles: z.array(z.object({ label: z.string().trim().min(1).max(32), path: z.string().min(1) }).strict()).min(2).max(64).optional(),
    labels: z.array(z.string().min(1)).min(2).max(64).optional(),
    frequency: z.number().positive().optional(),
    testFraction: z.number().gt(0).lt(1).optional(),
    seed: z.number().int().optional(),
  })
  .strict()
  .refine((v) => (v.train === undefined) !== (v.classFiles === undefined), { message: 'give either train (with an optional test file) or classFiles, not both', path: ['train'] })
  .refine((v) => !v.classFiles || new Set(v.classFiles.map((c) => c.label)).size === v.classFiles.length, { message: 'each class may be given once', path: ['classFiles'] })
  .refine((v) => !v.classFiles || (v.test === undefined && v.labels === undefined), { message: 'classFiles takes its labels from the files; test and labels do not apply', path: ['classFiles'] });
export type DatasetImportCsvInput = z.infer<typeof DatasetImportCsvInput>;

export const DatasetProgress = z.object({ done: z.number().int(), total: z.number().int(), what: z.string() });
export const DatasetResult = DatasetManifest.pick({ id: true, name: true, beats: true, hash: true, counts: true });
export type DatasetResult = z.infer<typeof DatasetResult>;

export const datasetOps = {
  'datasets.build': job(DatasetBuildInput, 'Segment beats from catalog records into a labelled, split dataset.'),
  'datasets.importCsv': job(DatasetImportCsvInput, 'A heartbeat-benchmark CSV (beats then an integer label), with its standard test file if given, as a dataset.'),
  'datasets.list': op(Empty, z.array(DatasetSummary), 'Built datasets.'),
};
