// The attack registry: look an attack up by name and run it on raw (unvalidated) parameters.
import type { ModelHandle } from '../models/handle.ts';
import type { Attack, AttackContext, AttackResult } from './attack.ts';
import { ATTACK_PARAMS, type AttackName } from '../../src-shared/contract/attacks.ts';
import { fgsm } from './fgsm.ts';
import { pgd } from './pgd.ts';
import { bim } from './bim.ts';
import { pgdL2 } from './pgd-l2.ts';
import { cwLinf } from './cw-linf.ts';
import { boundary } from './boundary.ts';
import { hopskipjump } from './hopskipjump.ts';
import { smoothPgd } from './smooth-pgd.ts';
import { adaptivePgd } from './adaptive-pgd.ts';

export type { AttackContext, AttackResult, BeatOutcomes, LabelOracle } from './attack.ts';
export { labelOracle } from './attack.ts';
export type { AttackName } from '../../src-shared/contract/attacks.ts';

/** Every attack of the contract's ATTACK_NAMES. */
export const ATTACKS: Record<AttackName, Attack<(typeof ATTACK_PARAMS)[AttackName]>> = {
  fgsm,
  bim,
  pgd,
  'pgd-l2': pgdL2,
  'cw-linf': cwLinf,
  boundary,
  hopskipjump,
  'smooth-pgd': smoothPgd,
  'adaptive-pgd': adaptivePgd,
};

const NEVER_CANCELLED: AttackContext = { cancelled: () => false };

/** Validates `params` with the attack's schema (the error names the field), then runs it. */
export async function runAttack(name: AttackName, model: ModelHandle, beats: Float32Array, labels: Int32Array, params: unknown, ctx: AttackContext = NEVER_CANCELLED): Promise<AttackResult> {
  const attack = ATTACKS[name];
  if (!attack) throw new Error(`attack: unknown attack "${String(name)}"`);
  const parsed = attack.params.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${name}: parameter "${issue.path.map(String).join('.') || '(root)'}" ${issue.message}`);
  }
  // Each entry pairs its schema with its run, so the parsed value fits that run.
  return (attack.run as (m: ModelHandle, b: Float32Array, l: Int32Array, p: unknown, c: AttackContext) => Promise<AttackResult>)(model, beats, labels, parsed.data, ctx);
}
