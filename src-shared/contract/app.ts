// App-wide operations: version and backend, settings, the audit log, the compute self-test.
import { z } from 'zod';
import { Empty, job, op } from './define.ts';

export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKENDS);
export type BackendName = z.infer<typeof BackendName>;
export const BackendPreference = z.enum(['auto', ...BACKENDS]);
export type BackendPreference = z.infer<typeof BackendPreference>;

export const ComputeInfo = z.object({
  backend: BackendName,
  simd: z.boolean(),
  /** Worker threads (or processes) in the compute pool. */
  workers: z.number().int(),
  /** Each backend tried, in order, with why it was skipped. */
  tried: z.array(z.string()),
});
export type ComputeInfo = z.infer<typeof ComputeInfo>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  backend: BackendName,
  backendDetail: ComputeInfo.omit({ backend: true }),
  node: z.string(),
  electron: z.string().nullable(),
  platform: z.string(),
  dataDir: z.string(),
  dbPath: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Settings = z.object({
  backend: BackendPreference,
  deidentifyOnImport: z.boolean(),
  defaultBeatLength: z.number().int().min(64).max(2048),
  /** Compute pool size; null: one worker per core. ECGATK_WORKERS overrides it. */
  computeWorkers: z.number().int().min(1).max(64).nullable(),
  /** Display calibration for true-scale ECG paper; null: 96 dpi (3.78 px/mm). */
  pixelsPerMm: z.number().min(1).max(40).nullable(),
});
export type Settings = z.infer<typeof Settings>;
export const SETTINGS_DEFAULTS: Settings = { backend: 'auto', deidentifyOnImport: true, defaultBeatLength: 280, computeWorkers: null, pixelsPerMm: null };

export const AuditEntry = z.object({
  id: z.number().int(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  details: z.unknown(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBadId: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export const SelfTestInput = z.object({ steps: z.number().int().min(1).max(500).default(20) }).strict();
export const SelfTestProgress = z.object({ step: z.number().int(), loss: z.number() });
export const SelfTestResult = z.object({
  backend: BackendName,
  steps: z.number().int(),
  firstLoss: z.number(),
  lastLoss: z.number(),
  decreased: z.boolean(),
  msPerStep: z.number(),
});
export type SelfTestResult = z.infer<typeof SelfTestResult>;

export const OpenPathsResult = z.object({
  /** False where no native dialog exists (browser mode): use the browser's file input instead. */
  available: z.boolean(),
  paths: z.array(z.string()),
});
export type OpenPathsResult = z.infer<typeof OpenPathsResult>;

export const appOps = {
  'app.info': op(Empty, AppInfo, 'Version, compute backend, data folder and database path.'),
  'settings.get': op(Empty, Settings, 'Current settings.'),
  'settings.update': op(Settings.partial().strict(), Settings, 'Change settings; returns the new settings.'),
  'audit.list': op(
    z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    z.array(AuditEntry),
    'Newest audit-log entries first.',
  ),
  'audit.verify': op(Empty, AuditVerification, 'Walk the hash chain of the audit log.'),
  'dialog.openPaths': op(
    z.object({ kind: z.enum(['files', 'folder']) }).strict(),
    OpenPathsResult,
    'Native open dialog of the desktop shell; answers available: false where there is none (browser mode).',
  ),
  'compute.selfTest': job(SelfTestInput, 'Train a tiny conv1d net on the compute pool and report whether its loss falls.'),
};
