// The version of the package behind each backend, read from its package.json (TensorFlow.js is not
// loaded for this: the core worker must never load it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../config/paths.ts';
import type { BackendName } from '../../src-shared/contract/index.ts';

const PACKAGES: Record<BackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** `<package>@<version>` of a backend, or `<package>@unknown` when its package.json cannot be read. */
export function backendVersion(backend: BackendName, root = appRoot()): string {
  const pkg = PACKAGES[backend];
  try {
    const { version } = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string };
    return `${pkg}@${version ?? 'unknown'}`;
  } catch {
    return `${pkg}@unknown`;
  }
}
