// The one module that owns TensorFlow.js. Picks the fastest backend that loads here:
// tfjs-node-gpu → tfjs-node → wasm (SIMD, single thread) → cpu. ECGATK_BACKEND or the
// `backend` setting forces one. Everything else imports tf from here.
import * as tf from '@tensorflow/tfjs-core';
// The union package registers every op gradient (tfjs-core's CommonJS build used by Node does not).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { BACKENDS, type BackendName, type ComputeInfo } from '../../src-shared/contract/index.ts';
import { registerWasmTrainingKernels } from './wasm-kernels.ts';
import { registerDilatedConvGradient } from './conv-grad.ts';
import { registerBatchNormGradient } from './batchnorm-grad.ts';

export { tf };

/** What one process (or worker thread) runs on; the pool adds how many workers. */
export type BackendInfo = Omit<ComputeInfo, 'workers'>;

let active: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

async function tryNative(pkg: string): Promise<boolean> {
  try {
    // A variable specifier keeps bundlers from resolving optional packages that may be absent.
    const specifier: string = pkg;
    await import(specifier);
    return tf.findBackend('tensorflow') !== null;
  } catch {
    return false;
  }
}

async function activate(name: BackendName, tried: string[]): Promise<boolean> {
  try {
    if (name === 'tensorflow-gpu' || name === 'tensorflow') {
      const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
      if (!(await tryNative(pkg))) {
        tried.push(`${name}: ${pkg} is not installed or its native library did not load`);
        return false;
      }
      if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend failed');
      return true;
    }
    if (name === 'wasm') {
      // Threaded wasm needs a Worker-backed pthread pool that does not start in Node.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      registerWasmTrainingKernels();
    }
    if (!(await tf.setBackend(name))) {
      tried.push(`${name}: backend failed to initialise`);
      return false;
    }
    await tf.ready();
    return true;
  } catch (err) {
    tried.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

export function parseBackendPreference(value: string | undefined): BackendName | 'auto' {
  if (!value || value === 'auto') return 'auto';
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`Unknown backend "${value}"; expected one of auto, ${BACKENDS.join(', ')}`);
}

/** Initialises TensorFlow.js once per process. The env variable wins over the setting. */
export function initCompute(preference: BackendName | 'auto' = 'auto'): Promise<BackendInfo> {
  pending ??= (async () => {
    tf.env().set('PROD', true);
    registerDilatedConvGradient();
    registerBatchNormGradient();
    const forced = parseBackendPreference(process.env.ECGATK_BACKEND);
    const choice = forced !== 'auto' ? forced : preference;
    const order: BackendName[] = choice === 'auto' ? [...BACKENDS] : [choice];
    const tried: string[] = [];
    for (const name of order) {
      if (await activate(name, tried)) {
        const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
        active = { backend: name, simd, tried };
        return active;
      }
    }
    if (choice !== 'auto' && (await activate('cpu', tried))) {
      active = { backend: 'cpu', simd: false, tried };
      return active;
    }
    throw new Error(`No TensorFlow.js backend could start: ${tried.join('; ')}`);
  })();
  return pending;
}

export function computeInfo(): BackendInfo | null {
  return active;
}
