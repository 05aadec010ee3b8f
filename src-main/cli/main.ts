// `ecgatk` command line: the same services as the app, in plain Node.
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Core } from '../app/core.ts';
import { createWorkerCore } from '../app/worker-core.ts';
import { startHttpHost } from '../host/http-host.ts';
import { appRoot, packageMeta, resolvePaths } from '../config/paths.ts';
import { ensureBuilt } from './build.ts';
import { findElectronBinary } from '../electron/locate.ts';
import { cmdAnnotations, cmdDataset, cmdImport, cmdRecords, cmdSamples } from './records.ts';
import { cmdJobs } from './jobs.ts';
import { cmdEval, cmdModels, cmdPredict } from './models.ts';
import { cmdTrain, parseTrainArgs, TRAIN_USAGE } from './train.ts';
import { AUDIT_FLAGS, cmdAudit, cmdAudits, cmdReport } from './audits.ts';
import { ATTACK_USAGE, cmdAttack, parseAttackArgs } from './attack.ts';
import { jobResult, openClient, type CoreClient, type Io } from './client.ts';

const io: Io = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`), write: (s) => process.stdout.write(s) };

/** Runs a command on the typed core client of an in-process app (no TensorFlow.js unless asked). */
async function withClient(fn: (api: CoreClient) => Promise<number>, compute = false, flags?: Record<string, string>): Promise<number> {
  const api = await openClient(io, { withoutCompute: !compute, ...(flags ? { flags } : {}) });
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

const HELP = `Usage: ecgatk <command> [options]

Commands:
  info [--json]            Version, compute backend, Node, data folder and database
  serve [--port N]         Browser mode: serve the app on 127.0.0.1 (default port 5199)
  start                    Launch the desktop app (falls back to browser mode without Electron)
  audit verify             Check the audit log's hash chain
  audit list [--limit N]   Newest audit entries
  audit --model <name|dir> [--model …] --dataset <id|name> [--suite paper|strong|<file.json>]
        [--eps 0.005,0.01,0.02] [--mode adaptive|transfer --source <model>] [--lambdas 0,1,10]
        [--limit N] [--seed S] [--examples N] [--json]
                           Robustness audit: robust accuracy (95% CI) per model × attack × ε on the
                           test split, worst case over the suite, detection/defended for ATK-GAN
                           (a resumable job: Ctrl+C stops it after the cells done so far)
  audit resume <id> [--json]  Continue a stopped or interrupted audit after its last stored cell
  audit rerun <id> [--json]  Run an audit again and check every stored number is reproduced
  audits [--json] [--limit N]  Robustness audits, newest first
  report export <audit id> --format html|pdf|csv|json [--out FILE]
                           Write an audit as a report (default in <data folder>/reports/)
  import <file-or-folder>… [--frequency HZ] [--no-deidentify]
                           Import WFDB (.hea), EDF and signal CSV records (folders recursively)
  records [--json]         The record catalog
  samples <record> [--from T --to T --signals i,j --physical]
                           Samples in the layout of WFDB rdsamp (without the sample column);
                           T is ss, mm:ss, hh:mm:ss.sss or a sample number s12345
  annotations <record> [--annotator atr]
                           Annotations in the layout of WFDB rdann
                           <record> is an id, a name, folder/name, or a .hea path
  dataset build <records>… --name N [--preset paper|benchmark] [--classes 4|5] [--split random|interpatient]
  dataset import-csv <train.csv> [<test.csv>] --name N
                           A heartbeat-benchmark table (beats then label) as a dataset
  dataset list [--json]    Built beat datasets
  jobs [--json] [--limit N]  Jobs of this and earlier launches (interrupted ones can be resumed)
  jobs cancel <id>         Ask a job to stop (also one the app is running)
  jobs resume <id>         Start an interrupted job of a resumable kind again
  models [--json]          Registered models (* = default); shipped ones from models/ are registered on start
  models default <name>    Make a model the default for classification
  models calibrate <name> [--false-alarm-rate 0.05 --attack-eps 0.01]
                           ATK-GAN: set the attacked/clean threshold on its validation split (written to its card)
  eval --model <name|dir> --dataset <id|name> [--attack-eps 0.01] [--json]
                           Accuracy, macro-F1, per-class P/R/F1/support and confusion on the test split;
                           ATK-GAN also its attacked/clean head's detection rate on FGSM copies
  predict [--model <name|dir>] --record <name|id> [--json]
                           Classify every annotated beat of a record (default model; stored for the app)
  attack [--model <name|dir>] --record <name|id> --beat <sample> --attack <name> [--eps X --alpha X
        --steps N --restarts N --random-start --max-queries N --lambda X --seed S | --preset paper|strong]
        [--compare <model>] [--json]
                           One attack on one beat: predictions and probabilities before/after, L2, L∞, SNR
  train --model atk-gan|kachuee|dcnn|dcnn-pgd --dataset <id|name> [--epochs N --batch 64 --seed S
        --attack-eps 0.01 --workers N --checkpoint-every N …] [--out DIR]
                           Train a model (a resumable job; Ctrl+C checkpoints and stops)
  train --resume <run>     Continue a run from its last checkpoint
  self-test [--steps N]    Train a tiny conv1d net on the active backend
  help                     This text

Environment: ECGATK_HOME (data folder, default ~/.ecgatk), ECGATK_MODELS_DIR (shipped models, default models/), ECGATK_BACKEND (auto|tensorflow-gpu|tensorflow|wasm|cpu)`;

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, 'no-build': { type: 'boolean' } }, allowPositionals: false });
  const root = appRoot();
  if (!values['no-build']) ensureBuilt(root, io.err);
  const requested = values.port === undefined ? 5199 : Number(values.port);
  if (!Number.isInteger(requested) || requested < 0 || requested > 65535) {
    io.err(`error: --port must be a whole number from 0 to 65535, got "${values.port}"`);
    return 2;
  }
  const core: Core = await createWorkerCore(new URL('../app/core-worker.ts', import.meta.url));
  const uploadsDir = join(resolvePaths().home, 'uploads');
  let host;
  try {
    host = await startHttpHost({ core, rendererDir: join(root, 'out', 'renderer'), port: requested, uploadsDir });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || values.port !== undefined) {
      await core.close();
      throw err;
    }
    host = await startHttpHost({ core, rendererDir: join(root, 'out', 'renderer'), port: 0, uploadsDir });
  }
  const info = await core.call('app.info', {});
  const backend = info.ok ? (info.value as { backend: string }).backend : 'unknown';
  const meta = packageMeta(root);
  io.out(`${meta.productName} ${meta.version} — browser mode, backend ${backend}, listening on 127.0.0.1 only`);
  io.out(`Open: ${host.launchUrl}`);
  io.out('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  await core.close();
  return 0;
}

async function start(args: string[]): Promise<number> {
  const root = appRoot();
  ensureBuilt(root, io.err);
  const electron = findElectronBinary(root);
  if (!electron) {
    io.err('Electron is not installed on this machine (run "npx install-electron" to fetch it); starting browser mode instead.');
    return serve(args);
  }
  const child = spawn(electron, [root, ...args], { stdio: 'inherit', env: { ...process.env, ECGATK_APP_ROOT: root } });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'info': {
        const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
        return await withClient(async (api) => {
          const info = await api.call('app.info', {});
          if (values.json) io.out(JSON.stringify(info, null, 2));
          else for (const [k, v] of Object.entries(info)) io.out(`${k.padEnd(14)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
          return 0;
        }, true);
      }
      case 'serve':
        return await serve(rest);
      case 'start':
        return await start(rest);
      case 'import':
        return await withClient((api) => cmdImport(api, rest, io));
      case 'records':
        return await withClient((api) => cmdRecords(api, rest, io));
      case 'samples':
        return await withClient((api) => cmdSamples(api, rest, io));
      case 'annotations':
        return await withClient((api) => cmdAnnotations(api, rest, io));
      case 'dataset':
        return await withClient((api) => cmdDataset(api, rest, io));
      case 'jobs':
        return await withClient((api) => cmdJobs(api, rest, io));
      case 'models':
        // Only `models calibrate` runs the model; listing and setting the default need no workers.
        return await withClient((api) => cmdModels(api, rest, io), rest[0] === 'calibrate');
      case 'eval':
        return await withClient((api) => cmdEval(api, rest, io), true);
      case 'predict':
        return await withClient((api) => cmdPredict(api, rest, io), true);
      case 'attack': {
        const cmd = parseAttackArgs(rest);
        if (!cmd) {
          io.err(ATTACK_USAGE);
          return 2;
        }
        return await withClient((api) => cmdAttack(api, cmd, io), true);
      }
      case 'train': {
        if (rest.length === 0) {
          io.err(TRAIN_USAGE);
          return 2;
        }
        const cmd = parseTrainArgs(rest);
        // The pool is sized when it starts: --workers asks for that many unless ECGATK_WORKERS says.
        if ('start' in cmd && cmd.start.workers !== undefined && !process.env.ECGATK_WORKERS) process.env.ECGATK_WORKERS = String(cmd.start.workers);
        return await withClient((api) => cmdTrain(api, cmd, io), true);
      }
      case 'audit': {
        const [sub, ...more] = rest;
        if (sub === 'verify') {
          return await withClient(async (api) => {
            const v = await api.call('audit.verify', {});
            io.out(v.ok ? `audit log intact: ${v.checked} entries verified` : `audit log TAMPERED${v.firstBadId === null ? '' : ` at entry ${v.firstBadId}`}: ${v.reason}`);
            return v.ok ? 0 : 3;
          });
        }
        if (sub === 'list') {
          const { values } = parseArgs({ args: more, options: { limit: { type: 'string' } } });
          return await withClient(async (api) => {
            io.out(JSON.stringify(await api.call('audit.list', { limit: values.limit === undefined ? 20 : Number(values.limit) }), null, 2));
            return 0;
          });
        }
        if (sub === undefined) {
          io.err('usage: ecgatk audit verify | audit list [--limit N] | audit --model … --dataset … | audit resume|rerun <id>');
          return 2;
        }
        return await withClient((api) => cmdAudit(api, rest, io), true, AUDIT_FLAGS);
      }
      case 'audits':
        return await withClient((api) => cmdAudits(api, rest, io));
      case 'report':
        return await withClient((api) => cmdReport(api, rest, io));
      case 'self-test': {
        const { values } = parseArgs({ args: rest, options: { steps: { type: 'string' } } });
        return await withClient(async (api) => {
          const r = jobResult(await api.runJob('compute.selfTest', { steps: values.steps === undefined ? 30 : Number(values.steps) }), 'compute.selfTest');
          io.out(`backend ${r.backend}: loss ${r.firstLoss.toFixed(4)} → ${r.lastLoss.toFixed(4)} over ${r.steps} steps, ${r.msPerStep.toFixed(1)} ms/step`);
          return r.decreased ? 0 : 1;
        }, true);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      default:
        io.err(`Unknown command "${command}".\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
