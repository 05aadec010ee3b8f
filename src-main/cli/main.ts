// `ecgatk` command line: the same services as the app, in plain Node.
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openApp } from '../app/context.ts';
import { createInProcessCore, type Core } from '../app/core.ts';
import { createWorkerCore } from '../app/worker-core.ts';
import { startHttpHost } from '../host/http-host.ts';
import { appRoot, packageMeta } from '../config/paths.ts';
import { ensureBuilt } from './build.ts';
import { findElectronBinary } from '../electron/locate.ts';
import type { OpName } from '../api/contract.ts';

import { cmdAnnotations, cmdDataset, cmdImport, cmdRecords, cmdSamples, type Io } from './records.ts';

const io: Io = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`), write: (s) => process.stdout.write(s) };

/** Runs a command on an in-process AppContext (no compute unless asked). */
async function withApp<T>(fn: (ctx: Awaited<ReturnType<typeof openApp>>) => Promise<T> | T, compute = false): Promise<T> {
  const ctx = await openApp({ withoutCompute: !compute });
  try {
    return await fn(ctx);
  } finally {
    ctx.close();
  }
}

const HELP = `Usage: ecgatk <command> [options]

Commands:
  info [--json]            Version, compute backend, Node, data folder and database
  serve [--port N]         Browser mode: serve the app on 127.0.0.1 (default port 5199)
  start                    Launch the desktop app (falls back to browser mode without Electron)
  audit verify             Check the audit log's hash chain
  audit list [--limit N]   Newest audit entries
  import <file-or-folder>… [--frequency HZ] [--no-deidentify]
                           Import WFDB (.hea), EDF and signal CSV records (folders recursively)
  records [--json]         The record catalog
  samples <record> [--from S --to S --signals i,j --physical]
                           Samples in the layout of WFDB rdsamp (without the sample column)
  annotations <record> [--annotator atr]
                           Annotations in the layout of WFDB rdann
  dataset build <records>… --name N [--preset paper|benchmark] [--classes 4|5] [--split random|interpatient]
  dataset import-csv <train.csv> [<test.csv>] --name N
                           A heartbeat-benchmark table (beats then label) as a dataset
  dataset list [--json]    Built beat datasets
  self-test [--steps N]    Train a tiny conv1d net on the active backend
  help                     This text

Environment: ECGATK_HOME (data folder, default ~/.ecgatk), ECGATK_BACKEND (auto|tensorflow-gpu|tensorflow|wasm|cpu)`;

/** One call through the same dispatcher the app uses; prints errors the same way. */
async function callOnce<K extends OpName>(op: K, input: unknown, opts: { compute: boolean }): Promise<{ ok: boolean; value: unknown }> {
  const core = createInProcessCore(await openApp({ withoutCompute: !opts.compute }));
  try {
    const env = await core.call(op, input);
    if (!env.ok) {
      io.err(`error: ${env.error.message}`);
      return { ok: false, value: null };
    }
    return { ok: true, value: env.value };
  } finally {
    await core.close();
  }
}

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
  let host;
  try {
    host = await startHttpHost({ core, rendererDir: join(root, 'out', 'renderer'), port: requested });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || values.port !== undefined) {
      await core.close();
      throw err;
    }
    host = await startHttpHost({ core, rendererDir: join(root, 'out', 'renderer'), port: 0 });
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
        const res = await callOnce('app.info', {}, { compute: true });
        if (!res.ok) return 1;
        if (values.json) io.out(JSON.stringify(res.value, null, 2));
        else for (const [k, v] of Object.entries(res.value as Record<string, unknown>)) io.out(`${k.padEnd(14)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
        return 0;
      }
      case 'serve':
        return await serve(rest);
      case 'import':
        return await withApp((ctx) => cmdImport(ctx, rest, io));
      case 'records':
        return await withApp((ctx) => cmdRecords(ctx, rest, io));
      case 'samples':
        return await withApp((ctx) => cmdSamples(ctx, rest, io));
      case 'annotations':
        return await withApp((ctx) => cmdAnnotations(ctx, rest, io));
      case 'dataset':
        return await withApp((ctx) => cmdDataset(ctx, rest, io));
      case 'start':
        return await start(rest);
      case 'audit': {
        const [sub, ...more] = rest;
        if (sub === 'verify') {
          const res = await callOnce('audit.verify', {}, { compute: false });
          if (!res.ok) return 1;
          const v = res.value as { ok: boolean; checked: number; firstBadId: number | null; reason: string | null };
          io.out(v.ok ? `audit log intact: ${v.checked} entries verified` : `audit log TAMPERED${v.firstBadId === null ? '' : ` at entry ${v.firstBadId}`}: ${v.reason}`);
          return v.ok ? 0 : 3;
        }
        if (sub === 'list') {
          const { values } = parseArgs({ args: more, options: { limit: { type: 'string' } } });
          const res = await callOnce('audit.list', { limit: values.limit === undefined ? 20 : Number(values.limit) }, { compute: false });
          if (!res.ok) return 1;
          io.out(JSON.stringify(res.value, null, 2));
          return 0;
        }
        io.err('usage: ecgatk audit verify | audit list [--limit N]');
        return 2;
      }
      case 'self-test': {
        const { values } = parseArgs({ args: rest, options: { steps: { type: 'string' } } });
        const { runSelfTest } = await import('../compute/self-test.ts');
        const ctx = await openApp();
        try {
          const r = await runSelfTest({ steps: values.steps === undefined ? 30 : Number(values.steps) });
          io.out(`backend ${r.backend}: loss ${r.firstLoss.toFixed(4)} → ${r.lastLoss.toFixed(4)} over ${r.steps} steps, ${r.msPerStep.toFixed(1)} ms/step`);
          return r.decreased ? 0 : 1;
        } finally {
          ctx.close();
        }
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
