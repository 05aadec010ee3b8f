// The attack suite of an audit and its grid: a preset (paper, strong) or a JSON file of AttackSpec
// (ε filled per cell), validated up front so a bad entry is refused before any work, with a seed
// per cell so a resumed or re-run audit draws what an uninterrupted one drew.
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../src-shared/errors.ts';
import { ATTACK_PARAMS, ATTACK_PRESETS, AttackSpec, attackLabel, parseAttack, presetSuite, type AttackPreset, type AuditInput } from '../../src-shared/contract/index.ts';

const isPreset = (s: string): s is AttackPreset => (ATTACK_PRESETS as readonly string[]).includes(s);

/** A file suite's specs as written (null for a preset); errors name the file and the entry. */
export async function readSuiteFile(suite: string): Promise<AttackSpec[] | null> {
  if (isPreset(suite)) return null;
  let text: string;
  try {
    text = await readFile(suite, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError('BAD_FILE', `suite ${suite}: ${code === 'ENOENT' ? `is neither a preset (${ATTACK_PRESETS.join(', ')}) nor an existing file` : `cannot be read (${code ?? String(err)})`}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AppError('BAD_FILE', `suite ${suite}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new AppError('BAD_FILE', `suite ${suite}: expected a non-empty JSON array of attacks ({"name": …, "params": {…}})`);
  return raw.map((entry, i) => {
    const r = AttackSpec.safeParse(entry);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new AppError('BAD_FILE', `suite ${suite}: entry ${i + 1}: ${issue.path.map(String).join('.') || '(entry)'}: ${issue.message}`);
    }
    return r.data;
  });
}

function schemaHas(name: AttackSpec['name'], key: string): boolean {
  return key in (ATTACK_PARAMS[name] as z.ZodObject).shape;
}

/** Whether an attack has an ε budget; those without (black-box) give the same cell at every ε. */
export const takesEps = (name: AttackSpec['name']): boolean => schemaHas(name, 'eps');

/** A 31-bit seed for one cell from the audit's seed and the cell's identity (ε null for attacks without one). */
export function cellSeed(seed: number, model: string, label: string, eps: number | null): number {
  return createHash('sha256').update(`${seed}|${model}|${label}|${eps}`).digest().readUInt32BE(0) >>> 1;
}

/** The suite's specs at one ε: the preset's, or the file's with ε filled where the attack takes one. */
export function specsAt(input: Pick<AuditInput, 'suite' | 'lambdas'>, fileSpecs: readonly AttackSpec[] | null, eps: number): AttackSpec[] {
  if (fileSpecs === null) {
    if (!isPreset(input.suite)) throw new AppError('INTERNAL', `suite ${input.suite}: no specs read`);
    return presetSuite(input.suite, eps, input.lambdas);
  }
  return fileSpecs.map((s) => (takesEps(s.name) ? { name: s.name, params: { ...s.params, eps } } : { name: s.name, params: { ...s.params } }));
}

export interface PlannedCell {
  idx: number;
  /** Index into the audit's models. */
  model: number;
  eps: number;
  attack: AttackSpec;
  label: string;
}

export interface GridModel {
  name: string;
  /** Whether adaptive attacks on this model may use a detector head (the crafting model's, in transfer mode). */
  detector: boolean;
}

/**
 * Every cell, model-major then ε then attack. Detector-aware attacks are kept only where the
 * crafting model has a detector. Each spec is validated (the error names the suite entry).
 */
export function planGrid(input: Pick<AuditInput, 'suite' | 'lambdas' | 'eps' | 'seed'>, fileSpecs: readonly AttackSpec[] | null, models: readonly GridModel[]): PlannedCell[] {
  const cells: PlannedCell[] = [];
  models.forEach((m, mi) => {
    for (const eps of input.eps) {
      specsAt(input, fileSpecs, eps).forEach((spec, k) => {
        if (spec.name === 'adaptive-pgd' && !m.detector) return;
        const label = attackLabel(spec);
        const seeded = schemaHas(spec.name, 'seed') && spec.params.seed === undefined ? { ...spec.params, seed: cellSeed(input.seed, m.name, label, takesEps(spec.name) ? eps : null) } : spec.params;
        let attack: AttackSpec;
        try {
          attack = { name: spec.name, params: parseAttack({ name: spec.name, params: seeded }).params };
        } catch (err) {
          const where = fileSpecs === null ? `suite ${input.suite}` : `suite ${input.suite}: entry ${k + 1}`;
          throw new AppError('INVALID_INPUT', `${where} at ε=${eps}: ${err instanceof Error ? err.message : String(err)}`);
        }
        cells.push({ idx: cells.length, model: mi, eps, attack, label });
      });
    }
  });
  return cells;
}
