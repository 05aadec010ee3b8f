// Models: the registry of verified model folders, evaluation on a dataset's test split, and
// per-beat classification of a record (stored, so reopening a record shows it at once).
import { z } from 'zod';
import { job, op } from './define.ts';
import { ModelCardSchema } from './model-card.ts';

export const ModelEntry = z.object({
  name: z.string(),
  kind: z.string(),
  datasetId: z.string().nullable(),
  datasetHash: z.string().nullable(),
  classes: z.array(z.string()),
  inputLength: z.number().int(),
  samplingRate: z.number(),
  /** sha256 of the weights file: identifies the trained model. */
  modelHash: z.string(),
  metrics: z.record(z.string(), z.number()),
  card: ModelCardSchema,
  path: z.string(),
  isDefault: z.boolean(),
  createdAt: z.string(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

/** A model by registry name, or a model folder path (verified on load, not registered). */
const ModelRef = z.string().min(1);

export const ClassScores = z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() });

export const EVAL_SPLITS = ['test', 'validation'] as const;
export const EvaluateInput = z.object({
  model: ModelRef,
  dataset: z.string().min(1),
  /** FGSM ε for the attacked-copy detection figure (ATK-GAN only). */
  attackEps: z.number().min(0).max(1).default(0.01),
  /**
   * `validation`: the hold-out the model was chosen on (its own dataset only), for comparing models
   * without looking at the test split.
   */
  split: z.enum(EVAL_SPLITS).default('test'),
}).strict();
export const EvaluateProgress = z.object({ done: z.number().int(), total: z.number().int(), stage: z.string() });
export const EvaluateResult = z.object({
  model: z.string(),
  modelHash: z.string(),
  dataset: z.string(),
  datasetHash: z.string(),
  /** Absent in results stored before the split could be chosen: those were all test. */
  split: z.enum(EVAL_SPLITS).default('test'),
  classes: z.array(z.string()),
  beats: z.number().int(),
  accuracy: z.number(),
  accuracyCi95: z.object({ low: z.number(), high: z.number() }),
  macroF1: z.number(),
  perClass: z.record(z.string(), ClassScores),
  /** confusion[t][p]: beats of the split of true class t predicted as p. */
  confusion: z.array(z.array(z.number().int())),
  /**
   * ATK-GAN: share of FGSM-attacked beats of the split its attacked/clean head flags (p > threshold, the
   * card's calibrated one or 0.5), and of clean ones it wrongly flags.
   */
  attackDetection: z.object({ eps: z.number(), threshold: z.number(), detectionRate: z.number(), falseAlarmRate: z.number() }).nullable(),
  beatsPerSecond: z.number(),
  workers: z.number().int(),
});
export type EvaluateResult = z.infer<typeof EvaluateResult>;

export const CalibrateInput = z.object({
  model: ModelRef,
  /** Share of clean validation beats the detector may flag. */
  falseAlarmRate: z.number().min(0.001).max(0.5).default(0.05),
  /** FGSM ε of the attacked copies the detection rate is measured on. */
  attackEps: z.number().gt(0).max(1).default(0.01),
}).strict();
export const CalibrateResult = z.object({
  model: z.string(),
  modelHash: z.string(),
  dataset: z.string(),
  datasetHash: z.string(),
  /** Clean validation beats (and as many FGSM copies) the threshold was set on. */
  beats: z.number().int(),
  eps: z.number(),
  previousThreshold: z.number(),
  threshold: z.number(),
  /** At the new threshold, on the validation beats. */
  falseAlarmRate: z.number(),
  detectionRate: z.number(),
  /** At the old threshold, for comparison. */
  previous: z.object({ falseAlarmRate: z.number(), detectionRate: z.number() }),
});
export type CalibrateResult = z.infer<typeof CalibrateResult>;

export const ClassifyInput = z.object({ record: z.string().min(1), model: ModelRef.optional() }).strict();
export const ClassifyProgress = z.object({ done: z.number().int(), total: z.number().int() });
export const ClassifyResult = z.object({ recordId: z.number().int(), model: z.string(), modelHash: z.string(), beats: z.number().int(), beatsPerSecond: z.number(), workers: z.number().int() });

export const Prediction = z.object({
  sample: z.number().int(),
  reference: z.string().nullable(),
  predicted: z.string(),
  probabilities: z.record(z.string(), z.number()),
  attacked: z.number().nullable(),
});
export type Prediction = z.infer<typeof Prediction>;

export const RecordPredictions = z.object({
  recordId: z.number().int(),
  model: z.string().nullable(),
  modelHash: z.string().nullable(),
  createdAt: z.string().nullable(),
  classes: z.array(z.string()),
  predictions: z.array(Prediction),
  /** The model's detector threshold (flagged: attacked > it); null without a detector. */
  attackThreshold: z.number().nullable(),
  /** Confusion against the reference annotations (beats whose reference is one of the model's classes). */
  summary: z.object({ confusion: z.array(z.array(z.number().int())), accuracy: z.number(), mismatches: z.number().int(), flaggedAttacked: z.number().int() }).nullable(),
});
export type RecordPredictions = z.infer<typeof RecordPredictions>;

export const modelOps = {
  'models.list': op(z.object({}).strict(), z.array(ModelEntry), 'Registered models, the default first.'),
  'models.setDefault': op(z.object({ name: z.string().min(1) }).strict(), ModelEntry, 'Make a registered model the default for classification.'),
  'models.evaluate': job(EvaluateInput, "Evaluate a model on a dataset's test split (or its own validation hold-out): accuracy, macro-F1, per-class scores, confusion; ATK-GAN also its attack detection."),
  'models.calibrate': job(CalibrateInput, "Set an ATK-GAN's attacked/clean threshold so it flags at most the given share of clean beats of its own validation split; written to its card."),
  'records.classify': job(ClassifyInput, 'Classify every annotated beat of a record with a model (default if none) and store the predictions.'),
  'records.predictions': op(z.object({ record: z.string().min(1) }).strict(), RecordPredictions, "A record's stored predictions with its confusion against the reference annotations."),
};
