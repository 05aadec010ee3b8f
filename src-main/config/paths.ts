// Where the app keeps its data. ECGATK_HOME overrides the default under the user's home.
import { homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

export interface AppPaths {
  home: string;
  dbPath: string;
  modelsDir: string;
  reportsDir: string;
  datasetsDir: string;
  /** Training runs: checkpoints and the trained model of each. */
  runsDir: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env): AppPaths {
  const home = resolve(env.ECGATK_HOME && env.ECGATK_HOME.trim() !== '' ? env.ECGATK_HOME : join(homedir(), '.ecgatk'));
  return { home, dbPath: join(home, 'ecgatk.sqlite'), modelsDir: join(home, 'models'), reportsDir: join(home, 'reports'), datasetsDir: join(home, 'datasets'), runsDir: join(home, 'runs') };
}

/** The project/app root: where package.json, resources/ and models/ live. */
export function appRoot(): string {
  if (process.env.ECGATK_APP_ROOT) return resolve(process.env.ECGATK_APP_ROOT);
  // src-main/config/paths.ts → two levels up; the bundled Electron main sets ECGATK_APP_ROOT.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Sample records bundled with the app (offered on first start). */
export function samplesDir(root = appRoot()): string {
  return join(root, 'resources', 'samples');
}

export interface PackageMeta {
  name: string;
  productName: string;
  version: string;
}

export function packageMeta(root = appRoot()): PackageMeta {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Partial<PackageMeta>;
  return { name: pkg.name ?? 'ecgatk', productName: pkg.productName ?? 'ECG-ATK Workstation', version: pkg.version ?? '0.0.0' };
}

/** Models shipped with the app (`models/<name>/` with card.json), registered on start; ECGATK_MODELS_DIR overrides (tests, other installs). */
export function shippedModelsDir(env: NodeJS.ProcessEnv = process.env, root = appRoot()): string {
  return env.ECGATK_MODELS_DIR && env.ECGATK_MODELS_DIR.trim() !== '' ? resolve(env.ECGATK_MODELS_DIR) : join(root, 'models');
}
