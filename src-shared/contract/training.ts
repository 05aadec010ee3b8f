// Training: a model trained on a dataset as a persistent, resumable compute job; its runs are kept
// in SQLite with per-epoch metrics, checkpoint folder and the saved model.
import { z } from 'zod';
import { job, op } from './define.ts';
import { CalibratedDetector, SelectBy } from './model-card.ts';

export const TRAIN_MODELS = ['atk-gan', 'kachuee', 'dcnn', 'dcnn-pgd'] as const;
export type TrainModel = (typeof TRAIN_MODELS)[number];

export const TrainingParams = z
  .object({
    model: z.enum(TRAIN_MODELS),
    /** Dataset id or name. */
    dataset: z.string().min(1),
    epochs: z.number().int().min(1).max(10_000).default(10),
    batch: z.number().int().min(2).max(4096).default(64),
    seed: z.number().int().default(1),
    /** L∞ budget of the attacks crafted for training (atk-gan, dcnn-pgd); beats are in [0, 1]. */
    attackEps: z.number().min(0).max(1).default(0.01),
    /** PGD steps for crafted attacks (atk-gan's PGD half; dcnn-pgd). */
    pgdSteps: z.number().int().min(1).max(100).default(5),
    /** Data-parallel replicas; default every pool worker. */
    workers: z.number().int().min(1).max(64).optional(),
    /** Fraction of the train split held out for validation (seeded, stratified). */
    valFraction: z.number().min(0).lt(1).default(0.1),
    /**
     * Class weights of the class-head loss, from the manifest's train counts: 'inverse' uses the
     * manifest's inverse-frequency weights as they are, 'sqrt' their square roots (milder: with
     * MIT-BIH's 113:1 imbalance the full weights make a model over-call F and S), 'none' all 1.
     */
    classWeighting: z.enum(['inverse', 'sqrt', 'none']).default('inverse'),
    /**
     * Warm start: a registered model name or model folder whose weights start D (the trunk and class
     * head are shared by dcnn, dcnn-pgd and the ATK-GAN discriminator). Ignored on resume.
     */
    init: z.string().min(1).optional(),
    /**
     * ATK-GAN: the first N steps update only G, through the (warm-started) D, so D never learns its
     * class head from an untrained generator's beats. 0: D and G from the first step (the paper).
     */
    ganWarmup: z.number().int().min(0).max(1_000_000).default(0),
    /** Class-balanced sampling (class uniformly, then a beat) instead of a shuffle. */
    balanced: z.boolean().default(false),
    /** Stop after this many epochs without a better validation score (see selectBy). */
    patience: z.number().int().min(1).optional(),
    /**
     * What "best on validation" means for the kept weights: accuracy, or macro-F1 (every class
     * counts alike, so the rare S and F beats are not traded for a fraction of a point on N).
     */
    selectBy: SelectBy.default('accuracy'),
    /**
     * Also validate every N optimizer steps inside an epoch (a long epoch, or a GAN stage shorter
     * than one), each point a candidate for the kept weights; absent: at epoch ends only.
     */
    validateEvery: z.number().int().min(1).optional(),
    /** Checkpoint every N optimizer steps (and at each epoch end and on cancel). */
    checkpointEvery: z.number().int().min(1).default(50),
    /** Run folder; default <data>/runs/<run id>. */
    outDir: z.string().min(1).optional(),
    /** Learning rate; default 1e-4 for atk-gan (the paper), 1e-3 for the classifiers. */
    learningRate: z.number().gt(0).lt(1).optional(),
    /** The command line that started the run, recorded in the model card. */
    command: z.string().optional(),
    /** Stop after this many optimizer steps in total (tests, smoke runs). */
    maxSteps: z.number().int().min(1).optional(),
  })
  .strict();
export type TrainingParams = z.infer<typeof TrainingParams>;

export const TrainingMetrics = z.object({
  runId: z.string(),
  epoch: z.number().int(),
  step: z.number().int(),
  stepsPerEpoch: z.number().int(),
  /** Mean loss per head over the steps of the epoch so far ("d.class", "g.realFake", "class"…). */
  lossPerHead: z.record(z.string(), z.number()),
  /** Of the last finished epoch (train accuracy on up to 2048 train beats); null before the first. */
  trainAccuracy: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  /** Over this launch's steps. */
  beatsPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  /** Set once the steps are done and an ATK-GAN run calibrates its detector (the job's message says how far). */
  stage: z.literal('calibrate').optional(),
});
export type TrainingMetrics = z.infer<typeof TrainingMetrics>;

export const EpochMetrics = z.object({
  epoch: z.number().int(),
  step: z.number().int(),
  lossPerHead: z.record(z.string(), z.number()),
  trainAccuracy: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  /** Macro-F1 on the validation hold-out (absent in runs recorded before it was kept). */
  valMacroF1: z.number().nullable().optional(),
  /** A point inside the epoch (--validate-every), not its end. */
  partial: z.boolean().optional(),
  seconds: z.number(),
});
export type EpochMetrics = z.infer<typeof EpochMetrics>;

/** A run's epoch ends: its history without the points inside epochs (--validate-every). */
export const epochEnds = (history: readonly EpochMetrics[]): EpochMetrics[] => history.filter((e) => !e.partial);

export const TrainingResult = z.object({
  runId: z.string(),
  modelDir: z.string(),
  epochs: z.number().int(),
  steps: z.number().int(),
  bestEpoch: z.number().int(),
  bestValAccuracy: z.number().nullable(),
  /** The step of the kept weights, their validation macro-F1 and what chose them (absent in older results). */
  bestStep: z.number().int().optional(),
  bestValMacroF1: z.number().nullable().optional(),
  selectedBy: SelectBy.optional(),
  testAccuracy: z.number().nullable(),
  wallSeconds: z.number(),
  /** Step the run started from: > 0 when it resumed from a checkpoint. */
  resumedFromStep: z.number().int(),
  workers: z.number().int(),
  /** The registry name the trained model was saved under (absent in results of older launches). */
  modelName: z.string().optional(),
  /**
   * ATK-GAN runs with a validation split: the attacked/clean threshold calibrated on it right after
   * training (5 % false alarms at the run's ε) and written to the card; null for other models.
   */
  detector: CalibratedDetector.nullable().optional(),
});
export type TrainingResult = z.infer<typeof TrainingResult>;

/** `interrupted` is never stored: a run left `running` by a killed process reads so once its job does. */
export const TRAINING_RUN_STATES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const TrainingRun = z.object({
  id: z.string(),
  jobId: z.string(),
  model: z.enum(TRAIN_MODELS),
  datasetId: z.string(),
  params: TrainingParams,
  status: z.enum(TRAINING_RUN_STATES),
  epochs: z.array(EpochMetrics),
  dir: z.string(),
  checkpointPath: z.string().nullable(),
  modelDir: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TrainingRun = z.infer<typeof TrainingRun>;

export const trainingOps = {
  'training.start': job(TrainingParams, 'Train a model on a dataset on the compute pool (resumable from its checkpoints).'),
  'training.resume': job(
    z
      .object({
        run: z.string().min(1),
        /** A new epoch limit (e.g. stop a long run early: it finishes the current epoch, saves and evaluates its best). */
        epochs: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    'Continue a run (id or folder) from its last checkpoint, optionally with a new epoch limit.',
  ),
  'training.runs': op(z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(), z.array(TrainingRun), 'Training runs, newest first.'),
  'training.get': op(z.object({ id: z.string().min(1) }).strict(), TrainingRun, 'One training run by id or folder.'),
};
