// `ecgatk attack`: one attack on one beat of a record, the same `attacks.beat` job the Attack
// simulator runs. Parameters come from the flags, over those of a preset suite at ε.
import { parseArgs } from 'node:util';
import { ATTACK_NAMES, ATTACK_PRESETS, DEFAULT_ATTACK_THRESHOLD, attackFields, checkAttackParams, presetParams, type AttackName, type AttackPreset, type AttackBeatResult, type OpInput } from '../../src-shared/contract/index.ts';
import { AppError } from '../../src-shared/errors.ts';
import { jobResult, type CoreClient, type Io } from './client.ts';
import { modelRef } from './models.ts';

export const ATTACK_USAGE = `usage: ecgatk attack [--model <name|dir>] --record <name|id> --beat <sample> --attack <${ATTACK_NAMES.join('|')}>
       [--eps X --alpha X --steps N --restarts N --random-start --max-queries N --lambda X --seed S | --preset paper|strong]
       [--compare <model>] [--json]
Parameters not given come from the preset suite (default paper) at --eps (default 0.01).`;

/** Flag of each attack parameter the command line sets. */
const FLAGS: Record<string, { param: string; kind: 'number' | 'integer' | 'boolean' }> = {
  eps: { param: 'eps', kind: 'number' },
  alpha: { param: 'alpha', kind: 'number' },
  steps: { param: 'steps', kind: 'integer' },
  restarts: { param: 'restarts', kind: 'integer' },
  'random-start': { param: 'randomStart', kind: 'boolean' },
  'max-queries': { param: 'maxQueries', kind: 'integer' },
  lambda: { param: 'lambda', kind: 'number' },
  seed: { param: 'seed', kind: 'integer' },
};
const flagOf = (param: string): string => `--${Object.entries(FLAGS).find(([, f]) => f.param === param)?.[0] ?? param.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function fail(flag: string, message: string): never {
  throw new AppError('INVALID_INPUT', `${flag}: ${message}`);
}

/** The attack's parameters from the flags over the preset's; a bad value is refused with its flag named. */
export function attackParamsFromFlags(name: AttackName, values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const preset = (values.preset ?? 'paper') as string;
  if (!(ATTACK_PRESETS as readonly string[]).includes(preset)) fail('--preset', `must be one of ${ATTACK_PRESETS.join(', ')}`);
  const given: Record<string, unknown> = {};
  for (const [flag, f] of Object.entries(FLAGS)) {
    const v = values[flag];
    if (v === undefined) continue;
    if (f.kind === 'boolean') given[f.param] = v === true;
    else {
      const n = Number(v);
      if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) fail(`--${flag}`, `must be a number, got "${String(v)}"`);
      if (f.kind === 'integer' && !Number.isInteger(n)) fail(`--${flag}`, `must be a whole number, got "${v}"`);
      given[f.param] = n;
    }
  }
  const known = new Set(attackFields(name).map((f) => f.key));
  for (const p of Object.keys(given)) if (!known.has(p)) fail(flagOf(p), `${name} has no such parameter (it takes ${[...known].map(flagOf).join(', ')})`);
  const eps = typeof given.eps === 'number' ? given.eps : 0.01;
  if (eps < 0) fail('--eps', 'must be ≥ 0');
  const base = presetParams(name, preset as AttackPreset, eps, typeof given.lambda === 'number' ? given.lambda : 1);
  if (values.preset !== undefined && base === null) fail('--preset', `the ${preset} suite has no ${name} attack: give its parameters as flags`);
  const checked = checkAttackParams(name, { ...(base ?? {}), ...given });
  if (!checked.ok) fail(flagOf(checked.key), checked.message);
  return checked.params;
}

function summary(r: AttackBeatResult, io: Io): void {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const probs = (p: Record<string, number>): string => Object.entries(p).map(([c, v]) => `${c} ${pct(v)}`).join('  ');
  const mv = (x: number): string => (r.mvPerUnit === null ? '' : ` (${(x * r.mvPerUnit).toFixed(4)} mV)`);
  io.out(`${r.attack} on beat ${r.beat} of record ${r.record} (reference ${r.reference ?? '—'}), model ${r.model} (${r.modelHash.slice(0, 12)})`);
  io.out(`parameters: ${JSON.stringify(r.parameters)}${r.mvPerUnit === null ? '' : `; 1 normalised unit = ${r.mvPerUnit.toFixed(4)} mV for this beat`}`);
  for (const [when, v] of [['before', r.before], ['after ', r.after]] as const) io.out(`${when}: ${v.predicted.padEnd(3)} ${probs(v.probabilities)}${v.attacked === null ? '' : `  attacked ${pct(v.attacked)}${v.attacked > (r.attackThreshold ?? DEFAULT_ATTACK_THRESHOLD) ? ' (flagged)' : ''}`}`);
  io.out(`${r.before.predicted === r.after.predicted ? 'prediction unchanged' : `prediction changed ${r.before.predicted} → ${r.after.predicted}`}`);
  io.out(`perturbation: L2 ${r.perturbation.l2.toFixed(4)}, L∞ ${r.perturbation.linf.toFixed(4)}${mv(r.perturbation.linf)}, SNR ${r.perturbation.snrDb.toFixed(1)} dB${r.queries === null ? '' : `, ${r.queries} queries`}, ${r.seconds.toFixed(2)} s`);
}

/** `--eps -0.1` reads as a value, not an unknown flag, so the range check can name the flag. */
const joinNegatives = (args: string[]): string[] => args.flatMap((a, i) => (/^-[\d.]/.test(args[i + 1] ?? '') && /^--[a-z-]+$/.test(a) ? [`${a}=${args[i + 1]}`] : /^-[\d.]/.test(a) && /^--[a-z-]+$/.test(args[i - 1] ?? '') ? [] : [a]));

export interface AttackCommand {
  input: OpInput<'attacks.beat'>;
  json: boolean;
}

/** Reads and checks every flag before anything is opened, so a bad one is refused at once; null: print the usage. */
export function parseAttackArgs(args: string[]): AttackCommand | null {
  const { values } = parseArgs({
    args: joinNegatives(args),
    options: {
      model: { type: 'string' }, record: { type: 'string' }, beat: { type: 'string' }, attack: { type: 'string' }, preset: { type: 'string' }, compare: { type: 'string' }, json: { type: 'boolean' },
      ...Object.fromEntries(Object.entries(FLAGS).map(([flag, f]) => [flag, { type: f.kind === 'boolean' ? ('boolean' as const) : ('string' as const) }])),
    },
  });
  if (!values.record || values.beat === undefined || !values.attack) return null;
  const name = values.attack as AttackName;
  if (!(ATTACK_NAMES as readonly string[]).includes(name)) fail('--attack', `must be one of ${ATTACK_NAMES.join(', ')}, got "${values.attack}"`);
  const beat = Number(values.beat);
  if (!Number.isInteger(beat) || beat < 0) fail('--beat', `must be the R-peak sample (a whole number ≥ 0), got "${values.beat}"`);
  const params = attackParamsFromFlags(name, values);
  return {
    input: { record: values.record, beat, attack: { name, params }, ...(values.model === undefined ? {} : { model: modelRef(values.model) }), ...(values.compare === undefined ? {} : { compare: modelRef(values.compare) }) },
    json: values.json === true,
  };
}

export async function cmdAttack(api: CoreClient, cmd: AttackCommand, io: Io): Promise<number> {
  const r = jobResult(await api.runJob('attacks.beat', cmd.input), 'attacks.beat');
  const { compare, ...main } = r;
  if (cmd.json) {
    io.out(JSON.stringify(cmd.input.compare === undefined ? main : r));
    return 0;
  }
  summary(main, io);
  if (compare) {
    io.out('');
    summary(compare, io);
  }
  return 0;
}
