// What a saved model is and how it was made, as a zod schema in the shared contract (the registry
// carries cards to the renderer): architecture, input, classes, provenance, metrics and file hashes.
import { z } from 'zod';

export const MODEL_KINDS = ['atk-gan-d', 'atk-gan-g', 'dcnn', 'kachuee'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');
const FileEntry = z.object({ sha256: Sha256Hex, bytes: z.number().int().nonnegative() });

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const CARD_FILE = 'card.json';

/**
 * ATK-GAN: the attacked/clean head flags a beat when P(attacked) > threshold. Calibrated on the
 * clean beats of the model's own validation split (never the test split) to a target false-alarm
 * rate, with the detection rate on FGSM copies of those beats at that threshold.
 */
export const CalibratedDetector = z.object({
  threshold: z.number().min(0).max(1),
  targetFalseAlarmRate: z.number().min(0).lt(1),
  falseAlarmRate: z.number().min(0).max(1),
  detectionRate: z.number().min(0).max(1),
  eps: z.number().min(0),
  beats: z.number().int().positive(),
  calibratedAt: z.string().min(1),
});
export type CalibratedDetector = z.infer<typeof CalibratedDetector>;

/** What "best on validation" means for the weights a training run keeps. */
export const SelectBy = z.enum(['accuracy', 'macro-f1']);
export type SelectBy = z.infer<typeof SelectBy>;

export const ModelCardSchema = z.object({
  formatVersion: z.literal(1),
  kind: z.enum(MODEL_KINDS),
  parameters: z.number().int().positive(),
  inputLength: z.number().int().positive(),
  samplingRate: z.number().positive(),
  normalisation: z.string().min(1),
  classes: z.array(z.string().min(1)).min(2),
  /** Hash of the dataset the model was trained on (DatasetManifest.hash); null for an untrained model. */
  datasetHash: Sha256Hex.nullable(),
  seed: z.number().int(),
  epochs: z.number().int().nonnegative(),
  trainingCommand: z.string(),
  backend: z.string().min(1),
  wallTimeSeconds: z.number().nonnegative(),
  metrics: z.record(z.string(), z.number()),
  createdAt: z.string().min(1),
  /** How a trained model was trained (absent on untrained or imported models). */
  training: z
    .object({
      model: z.string().min(1),
      runId: z.string(),
      workers: z.number().int().positive(),
      batch: z.number().int().positive(),
      learningRate: z.number().positive(),
      steps: z.number().int().nonnegative(),
      bestEpoch: z.number().int().nonnegative(),
      /** The optimizer step of the kept weights (absent in older cards: the end of bestEpoch). */
      bestStep: z.number().int().nonnegative().optional(),
      /** What best-on-validation meant for this model (absent in older cards: accuracy). */
      selectedBy: SelectBy.optional(),
      /** Validated every N steps inside an epoch as well as at its end (absent: epoch ends only). */
      validateEvery: z.number().int().positive().optional(),
      /** How attacked training data was made ('none', 'fgsm+pgd against D', 'pgd-5 (Madry)'…). */
      adversarial: z.string(),
      attackEps: z.number().nonnegative(),
      sampler: z.enum(['shuffle', 'balanced']),
      classWeights: z.array(z.number()),
      classWeighting: z.enum(['inverse', 'sqrt', 'none']).optional(),
      /** The model D started from (warm start), with the sha256 of its weights file. */
      initialisedFrom: z.object({ name: z.string(), weightsSha256: z.string() }).optional(),
      validationFraction: z.number(),
      /** Seed the validation hold-out was drawn with; absent (older cards): the card's seed. */
      validationSeed: z.number().int().optional(),
      /** Steps at which each resume (`ecgatk train --resume <runId>`) of the run began; absent: one launch. */
      resumedAtSteps: z.array(z.number().int().nonnegative()).optional(),
      flopsPerBeat: z.number().nonnegative(),
    })
    .optional(),
  /** ATK-GAN: see CalibratedDetector. Absent: flagged at DEFAULT_ATTACK_THRESHOLD (0.5). */
  detector: CalibratedDetector.optional(),
  files: z.object({ [MODEL_FILE]: FileEntry, [WEIGHTS_FILE]: FileEntry }).strict(),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;
/** The attacked/clean head's uncalibrated threshold. */
export const DEFAULT_ATTACK_THRESHOLD = 0.5;

/** The P(attacked) above which this model's detector flags a beat. */
export const attackThreshold = (card: Pick<ModelCard, 'detector'>): number => card.detector?.threshold ?? DEFAULT_ATTACK_THRESHOLD;

/**
 * The one rule for flagging, used wherever a beat is called attacked: strictly above the threshold
 * (calibration picks the threshold so ties flag fewer). No score or no detector flags nothing.
 */
export const flagsAttacked = (pAttacked: number | null | undefined, threshold: number | null | undefined): boolean =>
  pAttacked != null && threshold != null && pAttacked > threshold;

/** How a validation hold-out is drawn from a dataset's train split (validationHoldOut): the same spec, the same beats. */
export interface HoldOutSpec {
  fraction: number;
  seed: number;
}

/** The hold-out a model was validated on, to draw its beats again; null: it kept none. */
export function validationOf(card: Pick<ModelCard, 'training' | 'seed'>): HoldOutSpec | null {
  if (!card.training || card.training.validationFraction <= 0) return null;
  return { fraction: card.training.validationFraction, seed: card.training.validationSeed ?? card.seed };
}

/** What the caller states; the parameter count and file hashes are filled in on save. */
export type ModelCardInput = Omit<ModelCard, 'formatVersion' | 'parameters' | 'files'>;
