// Robustness audits: a grid (models × attacks × ε) run as a resumable job over a dataset's test
// split, every figure stored in SQLite with the provenance that reproduces it, and exported as
// a report (HTML, PDF, CSV, JSON). zod only.
import { z } from 'zod';
import { ATTACK_NAMES, AttackSpec } from './attacks.ts';
import { ClassScores } from './models.ts';
import { StringId, job, op } from './define.ts';

export const AUDIT_MODES = ['adaptive', 'transfer'] as const;

export const AuditInput = z
  .object({
    /** Registered names or model folders; several give a side-by-side comparison. */
    models: z.array(z.string().min(1)).min(1).max(8),
    dataset: z.string().min(1),
    /** 'paper' | 'strong' | path of a JSON file holding an array of AttackSpec (ε filled per grid cell). */
    suite: z.string().min(1).default('paper'),
    eps: z.array(z.number().min(0).max(1)).min(1).max(16).default([0.01]),
    /** adaptive: attack the evaluated model itself; transfer: craft on `source`, evaluate on each model. */
    mode: z.enum(AUDIT_MODES).default('adaptive'),
    source: z.string().min(1).optional(),
    /** λ values of the detector-aware attack (ATK-GAN models only). */
    lambdas: z.array(z.number().min(0).max(1000)).min(1).max(8).default([0, 1, 10]),
    /** Test beats to use, sampled stratified by class; default all. */
    limit: z.number().int().min(1).max(1_000_000).optional(),
    seed: z.number().int().default(1),
    /** Adversarial beats kept per grid cell for viewing. */
    examples: z.number().int().min(0).max(50).default(4),
  })
  .strict()
  .refine((a) => a.mode !== 'transfer' || a.source !== undefined, { message: 'transfer mode needs a source model', path: ['source'] });
export type AuditInput = z.infer<typeof AuditInput>;

const Ci = z.object({ low: z.number(), high: z.number() });
const Stats = z.object({ mean: z.number(), median: z.number(), max: z.number() });

/** Figures for one (model, attack, ε) cell of the grid. */
export const AuditCell = z.object({
  model: z.string(),
  attack: z.enum(ATTACK_NAMES),
  /** The attack's label in tables, e.g. "pgd" or "adaptive-pgd λ=10". */
  label: z.string(),
  eps: z.number(),
  params: z.record(z.string(), z.unknown()),
  /** Beats the figures rest on. */
  beats: z.number().int(),
  cleanAccuracy: z.number(),
  robustAccuracy: z.number(),
  robustAccuracyCi95: Ci,
  /** Of the beats classified right when clean, the share the attack made wrong. */
  attackSuccessRate: z.number(),
  perClass: z.record(z.string(), ClassScores),
  /** confusion[t][p] on the adversarial beats. */
  confusion: z.array(z.array(z.number().int())),
  l2: Stats,
  linf: Stats,
  /** Over the beats with a finite SNR (an untouched beat has +∞ dB); null when there is none. */
  snrDb: z.object({ mean: z.number().nullable(), median: z.number().nullable(), finiteBeats: z.number().int() }),
  /** Black-box attacks: model queries per beat. */
  queries: z.object({ mean: z.number(), max: z.number() }).nullable(),
  seconds: z.number(),
  /** ATK-GAN: attacked/clean head on these adversarial beats and on the clean ones. */
  detection: z
    .object({
      /** Share of adversarial beats flagged (p(attacked) > threshold). */
      tpr: z.number(),
      /** Share of clean beats flagged. */
      fpr: z.number(),
      /** Share of beats classified right or flagged. */
      defendedRate: z.number(),
      /** Share of beats misclassified and not flagged: the attacker's real success. */
      undetectedMisclassified: z.number(),
      /** The model's flagging threshold (absent in audits run before calibration existed: 0.5). */
      threshold: z.number().optional(),
    })
    .nullable(),
});
export type AuditCell = z.infer<typeof AuditCell>;

/** Worst case over the suite at one ε: a beat is robust only if every attack failed on it. */
export const WorstCase = z.object({ model: z.string(), eps: z.number(), beats: z.number().int(), robustAccuracy: z.number(), robustAccuracyCi95: Ci, defendedRate: z.number().nullable() });
export type WorstCase = z.infer<typeof WorstCase>;

export const AuditExample = z.object({
  model: z.string(),
  label: z.string(),
  eps: z.number(),
  /** Index of the beat in the dataset. */
  beatIndex: z.number().int(),
  reference: z.string(),
  clean: z.array(z.number()),
  adversarial: z.array(z.number()),
  before: z.string(),
  after: z.string(),
  attacked: z.number().nullable(),
});
export type AuditExample = z.infer<typeof AuditExample>;

export const Provenance = z.object({
  models: z.array(z.object({ name: z.string(), kind: z.string(), weightsSha256: z.string(), modelJsonSha256: z.string() })),
  source: z.object({ name: z.string(), weightsSha256: z.string() }).nullable(),
  dataset: z.object({ id: z.string(), name: z.string(), manifestHash: z.string() }),
  seed: z.number().int(),
  suite: z.array(AttackSpec),
  backend: z.string(),
  backendVersion: z.string(),
  workers: z.number().int(),
  appVersion: z.string(),
  gitCommit: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Provenance = z.infer<typeof Provenance>;

/** 'interrupted': stored as running, but its job ended with the process (killed or closed); resume it. */
export const AUDIT_STATES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;

export const AuditSummary = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  /** The audit this one re-ran, if any. */
  rerunOf: z.string().nullable(),
  status: z.enum(AUDIT_STATES),
  models: z.array(z.string()),
  dataset: z.string(),
  suite: z.string(),
  mode: z.enum(AUDIT_MODES),
  eps: z.array(z.number()),
  beats: z.number().int(),
  cellsDone: z.number().int(),
  cellsTotal: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type AuditSummary = z.infer<typeof AuditSummary>;

/** Clean figures of one model on the audited beats. */
export const AuditClean = z.object({ model: z.string(), accuracy: z.number(), perClass: z.record(z.string(), ClassScores), confusion: z.array(z.array(z.number().int())) });
export type AuditClean = z.infer<typeof AuditClean>;

export const Audit = AuditSummary.extend({
  input: z.record(z.string(), z.unknown()),
  classes: z.array(z.string()),
  /** Clean figures per model on the audited beats. */
  clean: z.array(AuditClean),
  cells: z.array(AuditCell),
  worst: z.array(WorstCase),
  examples: z.array(AuditExample),
  provenance: Provenance,
});
export type Audit = z.infer<typeof Audit>;

export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json'] as const;
export const ReportExportInput = z.object({ id: z.string().min(1), format: z.enum(REPORT_FORMATS), out: z.string().min(1).optional() }).strict();
export const ReportExportResult = z.object({ path: z.string(), bytes: z.number().int(), format: z.enum(REPORT_FORMATS) });

/** What an `audits.run` job stores: the input, the audit it re-runs, and a file suite's specs as first read (so a rerun does not depend on the file). */
export const AuditJobParams = z
  .object({
    input: AuditInput,
    rerunOf: z.string().nullable().default(null),
    suiteSpecs: z.array(AttackSpec).nullable().default(null),
  })
  .strict();
export type AuditJobParams = z.infer<typeof AuditJobParams>;

export const AuditProgress = z.object({
  auditId: z.string(),
  /** Grid cells stored so far, of all. */
  cellsDone: z.number().int(),
  cellsTotal: z.number().int(),
  /** The cell being computed: beats attacked so far, of its beats. */
  model: z.string().nullable(),
  label: z.string().nullable(),
  eps: z.number().nullable(),
  done: z.number().int(),
  total: z.number().int(),
});
export type AuditProgress = z.infer<typeof AuditProgress>;

export const AuditRunResult = z.object({
  auditId: z.string(),
  rerunOf: z.string().nullable(),
  beats: z.number().int(),
  cells: z.number().int(),
  /** Cells already stored when this run (a resume) began. */
  resumedAtCell: z.number().int(),
  seconds: z.number(),
});
export type AuditRunResult = z.infer<typeof AuditRunResult>;

/** A rerun against its original, cell by cell: every stored figure must match. */
export const AuditComparison = z.object({
  original: z.string(),
  rerun: z.string(),
  cells: z.number().int(),
  reproduced: z.boolean(),
  /** Figures that differ (beyond 1e-9), at most 50. */
  mismatches: z.array(z.object({ model: z.string(), label: z.string(), eps: z.number(), field: z.string(), original: z.unknown(), rerun: z.unknown() })),
});
export type AuditComparison = z.infer<typeof AuditComparison>;

export const auditOps = {
  'audits.start': job(AuditInput, 'Run a robustness audit (models × attacks × ε over a test split) as a resumable compute job.'),
  'audits.resume': job(StringId, 'Continue an interrupted, failed or cancelled audit (same job) after its last stored cell.'),
  'audits.rerun': job(StringId, 'Run an audit again from its stored input; the new audit records which one it re-ran.'),
  'audits.list': op(z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(), z.array(AuditSummary), 'Audits, newest first.'),
  'audits.get': op(StringId, Audit, 'One audit with every stored figure, its worst cases, examples and provenance.'),
  'audits.compare': op(z.object({ id: z.string().min(1), with: z.string().min(1) }).strict(), AuditComparison, 'Compare two audits (a rerun and its original) cell by cell.'),
  'audits.export': op(ReportExportInput, ReportExportResult, 'Write an audit as a report file (csv, json, html or pdf).'),
};
