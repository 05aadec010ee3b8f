// Attacks: the names and parameters of every attack the engine runs (validated here, so the CLI, the
// simulator and audit suites refuse a bad request with the field named), and one attack on one
// beat of a record — what the Attack simulator and `ecgatk attack` show. zod only.
import { z } from 'zod';

export const ATTACK_NAMES = ['fgsm', 'bim', 'pgd', 'pgd-l2', 'cw-linf', 'boundary', 'hopskipjump', 'smooth-pgd', 'adaptive-pgd'] as const;
export type AttackName = (typeof ATTACK_NAMES)[number];

/** Gradient-free attacks: they may only ask the model for labels, and report their queries. */
export const BLACK_BOX_ATTACKS: readonly AttackName[] = ['boundary', 'hopskipjump'];

/** Beats are per-beat min-max normalised to [0, 1]; every budget is in those units. */
const eps = z.number().min(0).max(1);
const step = z.number().gt(0).max(1);
const steps = z.number().int().min(1).max(1000);
const seed = z.number().int().default(0);

export const FgsmParams = z.object({ eps }).strict();
export const BimParams = z.object({ eps, alpha: step, steps, seed }).strict();
export const PgdParams = z
  .object({ eps, alpha: step, steps, randomStart: z.boolean().default(true), restarts: z.number().int().min(1).max(20).default(1), seed })
  .strict();
/** L2 budget: eps is the L2 radius of the perturbation of one beat (in normalised units). */
export const PgdL2Params = z
  .object({ eps: z.number().min(0).max(100), alpha: z.number().gt(0).max(100), steps, randomStart: z.boolean().default(true), restarts: z.number().int().min(1).max(20).default(1), seed })
  .strict();
/** Carlini–Wagner L∞ (margin loss, PGD-style under an L∞ bound). */
export const CwLinfParams = z.object({ eps, alpha: step, steps, confidence: z.number().min(0).max(100).default(0), seed }).strict();
export const BoundaryParams = z
  .object({ maxQueries: z.number().int().min(1).max(1_000_000), steps: z.number().int().min(1).max(100_000), spherical: z.number().gt(0).max(1).default(0.01), source: z.number().gt(0).max(1).default(0.01), seed })
  .strict();
export const HopSkipJumpParams = z
  .object({ maxQueries: z.number().int().min(1).max(1_000_000), steps: z.number().int().min(1).max(1000), norm: z.enum(['l2', 'linf']).default('l2'), initEvals: z.number().int().min(1).max(1000).default(100), maxEvals: z.number().int().min(1).max(100_000).default(1000), seed })
  .strict();
/** Han et al. 2020: PGD whose perturbation is a sum of Gaussian-smoothed components (widths in samples). */
export const SmoothPgdParams = z
  .object({ eps, alpha: step, steps, sigmas: z.array(z.number().gt(0).max(100)).min(1).max(8).default([2, 4, 8, 16]), randomStart: z.boolean().default(true), seed })
  .strict();
/** PGD on class loss − λ·CE(attacked/clean head, "clean"): knows both of ATK-GAN's heads. */
export const AdaptivePgdParams = z
  .object({ eps, alpha: step, steps, lambda: z.number().min(0).max(1000).default(1), randomStart: z.boolean().default(true), restarts: z.number().int().min(1).max(20).default(1), seed })
  .strict();

export const ATTACK_PARAMS = {
  fgsm: FgsmParams,
  bim: BimParams,
  pgd: PgdParams,
  'pgd-l2': PgdL2Params,
  'cw-linf': CwLinfParams,
  boundary: BoundaryParams,
  hopskipjump: HopSkipJumpParams,
  'smooth-pgd': SmoothPgdParams,
  'adaptive-pgd': AdaptivePgdParams,
} as const satisfies Record<AttackName, z.ZodType>;

export type AttackParams<N extends AttackName> = z.infer<(typeof ATTACK_PARAMS)[N]>;

/** One attack with its parameters; `params` is checked against the attack's schema by `parseAttack`. */
export const AttackSpec = z.object({ name: z.enum(ATTACK_NAMES), params: z.record(z.string(), z.unknown()).default({}) }).strict();
export type AttackSpec = z.infer<typeof AttackSpec>;

/** Validates a spec's parameters; the error names the attack and the field ("pgd: alpha: …"). */
export function parseAttack(spec: AttackSpec): { name: AttackName; params: Record<string, unknown> } {
  const r = ATTACK_PARAMS[spec.name].safeParse(spec.params);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${spec.name}: parameter "${issue.path.map(String).join('.') || '(root)'}" ${issue.message}`);
  }
  return { name: spec.name, params: r.data as Record<string, unknown> };
}

export const ATTACK_PRESETS = ['paper', 'strong'] as const;
export type AttackPreset = (typeof ATTACK_PRESETS)[number];

/** What a model said about one beat. */
export const BeatVerdict = z.object({
  predicted: z.string(),
  probabilities: z.record(z.string(), z.number()),
  /** ATK-GAN's attacked/clean head: probability the beat is attacked; null for other models. */
  attacked: z.number().nullable(),
});
export type BeatVerdict = z.infer<typeof BeatVerdict>;

export const Perturbation = z.object({ l2: z.number(), linf: z.number(), snrDb: z.number() });

/** One attack on one beat of a record; the `ecgatk attack --json` output. Beats in the model's normalised units. */
export const AttackBeatResult = z.object({
  model: z.string(),
  modelHash: z.string(),
  record: z.string(),
  recordId: z.number().int(),
  /** R-peak sample of the beat. */
  beat: z.number().int(),
  reference: z.string().nullable(),
  attack: z.enum(ATTACK_NAMES),
  clean: z.array(z.number()),
  adversarial: z.array(z.number()),
  perturbation: Perturbation,
  before: BeatVerdict,
  after: BeatVerdict,
  queries: z.number().int().nullable(),
  parameters: z.record(z.string(), z.unknown()),
  /** mV per normalised unit for this beat (its min-max span), when the record's gain is known. */
  mvPerUnit: z.number().nullable(),
  /** ATK-GAN: the P(attacked) above which its detector flags a beat (absent in cases saved before calibration: 0.5). */
  attackThreshold: z.number().min(0).max(1).optional(),
  seconds: z.number(),
});
export type AttackBeatResult = z.infer<typeof AttackBeatResult>;

/**
 * The attacks of a preset suite at one ε (normalised units). 'paper': the six attacks of the
 * ECG-ATK-GAN paper at its settings (C&W at 10·ε, i.e. 0.1 at ε = 0.01) with sound steps (the public
 * code's PGD step exceeded ε) and real black-box budgets (its black-box attacks ran zero iterations),
 * plus the smooth and the detector-aware attacks. 'strong': step = 2.5·ε/steps, more steps,
 * restarts and larger query budgets. Detector-aware specs are added once per λ.
 */
export function presetSuite(preset: AttackPreset, eps: number, lambdas: readonly number[] = [0, 1, 10]): AttackSpec[] {
  const strong = preset === 'strong';
  const steps = strong ? 40 : 10;
  const alpha = Math.max((2.5 * eps) / steps, 1e-6);
  const restarts = strong ? 3 : 1;
  return [
    { name: 'fgsm', params: { eps } },
    { name: 'bim', params: { eps, alpha: Math.max(eps / 10, 1e-6), steps: strong ? 20 : 10 } },
    { name: 'pgd', params: { eps, alpha, steps, randomStart: true, restarts } },
    { name: 'cw-linf', params: { eps: Math.min(1, 10 * eps), alpha: Math.max((2.5 * Math.min(1, 10 * eps)) / steps, 1e-6), steps, confidence: 0 } },
    { name: 'boundary', params: { maxQueries: strong ? 5000 : 1000, steps: strong ? 1000 : 200 } },
    { name: 'hopskipjump', params: { maxQueries: strong ? 5000 : 1000, steps: strong ? 40 : 10, norm: 'linf' } },
    { name: 'smooth-pgd', params: { eps, alpha, steps, randomStart: true } },
    ...lambdas.map((lambda): AttackSpec => ({ name: 'adaptive-pgd', params: { eps, alpha, steps, lambda, randomStart: true, restarts } })),
  ];
}

/** How an attack is labelled in tables and charts ("adaptive-pgd λ=10"). */
export function attackLabel(spec: AttackSpec): string {
  return spec.name === 'adaptive-pgd' ? `adaptive-pgd λ=${String(spec.params.lambda ?? 1)}` : spec.name;
}
