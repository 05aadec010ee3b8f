// The Attack simulator: one attack on one beat of a record (a job: black-box attacks take seconds),
// optionally the same attack on a second model side by side, and saved cases to reopen. zod only.
import { z } from 'zod';
import { job, op } from './define.ts';
import { ATTACK_PARAMS, AttackBeatResult, AttackSpec, presetSuite, type AttackName, type AttackPreset } from './attacks.ts';

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

/** One model's result, with the rate its beat is sampled at (to draw it at true scale). */
export const SimulatorBeat = AttackBeatResult.extend({ samplingRate: z.number() });
export type SimulatorBeat = z.infer<typeof SimulatorBeat>;

/** The attack on the chosen model, and on the compare model when one was asked for. */
export const SimulatorResult = SimulatorBeat.extend({ compare: SimulatorBeat.nullable() });
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
  'attacks.beatScale': op(
    z.object({ model: z.string().min(1).optional(), record: z.string().min(1), beat: z.number().int().min(0) }).strict(),
    z.object({ model: z.string(), mvPerUnit: z.number().nullable(), length: z.number().int(), samplingRate: z.number() }),
    'How many mV one normalised unit is for a beat as a model takes it (its min-max span), so ε can be set in mV.',
  ),
  'attacks.cases.save': op(z.object({ name: z.string().trim().min(1).max(200), input: AttackBeatInput, result: SimulatorResult }).strict(), AttackCaseSummary, 'Save a simulator run as a named case.'),
  'attacks.cases.list': op(z.object({}).strict(), z.array(AttackCaseSummary), 'Saved attack cases, newest first.'),
  'attacks.cases.get': op(CaseId, AttackCase, 'One saved case with its input and full result.'),
  'attacks.cases.delete': op(CaseId, z.object({ deleted: z.boolean() }), 'Delete a saved case.'),
};

/** One parameter of an attack, read from its schema: the simulator's form and the CLI's flags are made from these. */
export interface AttackField {
  key: string;
  kind: 'number' | 'integer' | 'boolean' | 'enum' | 'numbers';
  min: number | null;
  /** True for a strict lower bound (a step must be > 0). */
  exclusiveMin: boolean;
  max: number | null;
  options: string[];
  required: boolean;
  default: unknown;
}

interface JsonProp {
  type?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  enum?: string[];
  default?: unknown;
}

/** The parameters of an attack, in schema order. */
export function attackFields(name: AttackName): AttackField[] {
  const js = z.toJSONSchema(ATTACK_PARAMS[name], { io: 'input' }) as { properties: Record<string, JsonProp & { items?: JsonProp }>; required?: string[] };
  return Object.entries(js.properties).map(([key, p]) => {
    const bound = p.type === 'array' ? (p.items ?? {}) : p;
    const kind: AttackField['kind'] = p.type === 'array' ? 'numbers' : p.enum ? 'enum' : p.type === 'boolean' ? 'boolean' : p.type === 'integer' ? 'integer' : 'number';
    // Seeds are bounded only by safe integers: no bound worth showing.
    const wide = (v: number | undefined): number | null => (v === undefined || Math.abs(v) >= Number.MAX_SAFE_INTEGER ? null : v);
    return {
      key,
      kind,
      min: wide(bound.exclusiveMinimum ?? bound.minimum),
      exclusiveMin: bound.exclusiveMinimum !== undefined,
      max: wide(bound.maximum),
      options: p.enum ?? [],
      required: js.required?.includes(key) ?? false,
      default: p.default,
    };
  });
}

/** A parameter problem in words a person reads ("must be ≥ 0"), without zod's phrasing. */
export function describeParamIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') return issue.origin === 'array' ? `needs at least ${String(issue.minimum)} values` : `must be ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
  if (issue.code === 'too_big') return issue.origin === 'array' ? `takes at most ${String(issue.maximum)} values` : `must be ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
  if (issue.code === 'invalid_type') return issue.input === undefined ? 'is required' : issue.expected === 'int' ? 'must be a whole number' : `must be a ${issue.expected}`;
  if (issue.code === 'unrecognized_keys') return `not a parameter of this attack (${issue.keys.join(', ')})`;
  return issue.message;
}

/** Checks an attack's parameters; the first problem names its parameter. */
export function checkAttackParams(name: AttackName, params: Record<string, unknown>): { ok: true; params: Record<string, unknown> } | { ok: false; key: string; message: string } {
  const r = ATTACK_PARAMS[name].safeParse(params);
  if (r.success) return { ok: true, params: r.data as Record<string, unknown> };
  const issue = r.error.issues[0]!;
  const key = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.map(String).join('.');
  return { ok: false, key, message: describeParamIssue(issue) };
}

/** An attack's parameters in a preset suite at ε (λ for the detector-aware attack); null where the suite lacks the attack. */
export function presetParams(name: AttackName, preset: AttackPreset, eps: number, lambda = 1): Record<string, unknown> | null {
  return presetSuite(preset, eps, [lambda]).find((s) => s.name === name)?.params ?? null;
}
