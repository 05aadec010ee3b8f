// `ecgatk train`: a training run as a job on the in-process app's compute pool, with progress
// lines on stderr; Ctrl+C cancels it (a checkpoint is written) and --resume continues a run.
// An ATK-GAN run ends by calibrating its detector; the line printed says where the threshold landed.
import { parseArgs } from 'node:util';
import { jobResult, type CoreClient, type Io } from './client.ts';
import type { OpInput } from '../../src-shared/contract/index.ts';

export const TRAIN_USAGE = `usage: ecgatk train --model atk-gan|kachuee|dcnn|dcnn-pgd --dataset <id|name> [--epochs N --batch 64 --seed S
                    --attack-eps 0.01 --pgd-steps 5 --workers N --checkpoint-every N --val-fraction 0.1
                    --balanced --class-weighting inverse|sqrt|none --init <model> --gan-warmup N
                    --patience N --select-by accuracy|macro-f1 --validate-every N
                    --lr X --max-steps N] [--out DIR]
       ecgatk train --resume <run id|job id|run folder> [--epochs N]`;

export type TrainCommand = { resume: string; epochs?: number } | { start: OpInput<'training.start'> };

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

export function parseTrainArgs(args: string[]): TrainCommand {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      dataset: { type: 'string' },
      epochs: { type: 'string' },
      batch: { type: 'string' },
      seed: { type: 'string' },
      'attack-eps': { type: 'string' },
      'pgd-steps': { type: 'string' },
      workers: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'val-fraction': { type: 'string' },
      balanced: { type: 'boolean' },
      'class-weighting': { type: 'string' },
      init: { type: 'string' },
      'gan-warmup': { type: 'string' },
      patience: { type: 'string' },
      'select-by': { type: 'string' },
      'validate-every': { type: 'string' },
      lr: { type: 'string' },
      'max-steps': { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'string' },
    },
    allowPositionals: false,
  });
  if (values.resume !== undefined) return { resume: values.resume, ...(values.epochs !== undefined ? { epochs: Number(values.epochs) } : {}) };
  const input = {
    model: values.model,
    dataset: values.dataset,
    epochs: num(values.epochs),
    batch: num(values.batch),
    seed: num(values.seed),
    attackEps: num(values['attack-eps']),
    pgdSteps: num(values['pgd-steps']),
    workers: num(values.workers),
    checkpointEvery: num(values['checkpoint-every']),
    valFraction: num(values['val-fraction']),
    balanced: values.balanced,
    classWeighting: values['class-weighting'],
    init: values.init,
    ganWarmup: num(values['gan-warmup']),
    patience: num(values.patience),
    selectBy: values['select-by'],
    validateEvery: num(values['validate-every']),
    learningRate: num(values.lr),
    maxSteps: num(values['max-steps']),
    outDir: values.out,
    command: ['ecgatk train', ...args].join(' '),
  };
  // Unset flags take the contract's defaults; the contract validates the rest (errors name the flag).
  return { start: Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as OpInput<'training.start'> };
}

export async function cmdTrain(api: CoreClient, cmd: TrainCommand, io: Io): Promise<number> {
  const status = 'resume' in cmd ? await api.runJob('training.resume', { run: cmd.resume, ...(cmd.epochs !== undefined ? { epochs: cmd.epochs } : {}) }) : await api.runJob('training.start', cmd.start);
  if (status.kind === 'training.run' && status.state !== 'succeeded' && status.metrics) {
    io.err(`run ${status.metrics.runId} stopped at step ${status.metrics.step}; continue with: ecgatk train --resume ${status.metrics.runId}`);
  }
  const r = jobResult(status, 'training.run');
  const pct = (v: number | null): string => (v === null ? '–' : `${(100 * v).toFixed(2)}%`);
  io.out(`run ${r.runId}: ${r.epochs} epochs, ${r.steps} steps on ${r.workers} worker(s)${r.resumedFromStep > 0 ? `, resumed from step ${r.resumedFromStep}` : ''}, ${r.wallSeconds.toFixed(1)} s`);
  const at = r.bestStep !== undefined ? `epoch ${r.bestEpoch}, step ${r.bestStep}` : `epoch ${r.bestEpoch}`;
  const f1 = r.bestValMacroF1 != null ? `, macro-F1 ${r.bestValMacroF1.toFixed(3)}` : '';
  io.out(`kept the best validation ${r.selectedBy === 'macro-f1' ? 'macro-F1' : 'accuracy'}: accuracy ${pct(r.bestValAccuracy)}${f1} (${at}); test accuracy ${pct(r.testAccuracy)}`);
  io.out(`model: ${r.modelDir}`);
  if (r.detector) {
    const d = r.detector;
    io.out(`detector: P(attacked) > ${d.threshold.toFixed(4)} flags ${pct(d.falseAlarmRate)} of ${d.beats} clean validation beats and ${pct(d.detectionRate)} of their FGSM ε=${d.eps} copies (target ${pct(d.targetFalseAlarmRate)}; change with ecgatk models calibrate ${r.modelName ?? r.modelDir} --false-alarm-rate X)`);
  }
  return 0;
}
