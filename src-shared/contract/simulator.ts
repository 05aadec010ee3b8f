// The Attack simulator: one attack on one beat of a record (a job: black-box attacks take seconds),
// optionally the same attack on a second model side by side, and saved cases to reopen. zod only.
import { z } from 'zod';
import { job, op } from './define.ts';
import { AttackBeatResult, AttackSpec } from './attacks.ts';

export const AttackBeatInput = z
  .object({
    /** Registered name or model folder; the default model when absent. */
    model: z.string().min(1).optional(),
    record: z.string().min(1),
    /** R-peak sample of an annotated (or, without annotations, detected) beat of the record. */
    beat: z.number().int().min(0),
    attack: AttackSpec,
    /** A second model attacked the same way, for a side-by-side view. */
    compare: z.string().min(1).optional(),
  })
  .strict();
export type AttackBeatInput = z.infer<typeof AttackBeatInput>;

export const AttackBeatProgress = z.object({ stage: z.string(), done: z.number().int(), total: z.number().int() });

/** The attack on the chosen model, and on the compare model when one was asked for. */
export const SimulatorResult = AttackBeatResult.extend({ compare: AttackBeatResult.nullable() });
export type SimulatorResult = z.infer<typeof SimulatorResult>;

/** A beat the simulator can attack: reference label where annotated, the detector's mark otherwise. */
export const AttackableBeat = z.object({ sample: z.number().int(), symbol: z.string(), aami: z.string().nullable() });
export type AttackableBeat = z.infer<typeof AttackableBeat>;

const CaseId = z.object({ id: z.number().int().min(1) }).strict();

export const AttackCase = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  input: AttackBeatInput,
  result: SimulatorResult,
});
export type AttackCase = z.infer<typeof AttackCase>;

/** A listed case: what it was, and whether the attack changed the prediction, without the beats. */
export const AttackCaseSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  input: AttackBeatInput,
  model: z.string(),
  record: z.string(),
  reference: z.string().nullable(),
  before: z.string(),
  after: z.string(),
});
export type AttackCaseSummary = z.infer<typeof AttackCaseSummary>;

export const simulatorOps = {
  'attacks.beat': job(AttackBeatInput, 'Run one attack on one beat of a record (and on a second model to compare); result: the clean and adversarial beat, perturbation norms, predictions before and after.'),
  'attacks.beats': op(
    z.object({ record: z.string().min(1) }).strict(),
    z.array(AttackableBeat),
    'The beats of a record the simulator can attack: reference-annotated beats, or detected ones where the record has no annotations.',
  ),
  'attacks.cases.save': op(z.object({ name: z.string().trim().min(1).max(200), input: AttackBeatInput, result: SimulatorResult }).strict(), AttackCaseSummary, 'Save a simulator run as a named case.'),
  'attacks.cases.list': op(z.object({}).strict(), z.array(AttackCaseSummary), 'Saved attack cases, newest first.'),
  'attacks.cases.get': op(CaseId, AttackCase, 'One saved case with its input and full result.'),
  'attacks.cases.delete': op(CaseId, z.object({ deleted: z.boolean() }), 'Delete a saved case.'),
};
