// Adam over named variables with exportable state (moments + step) for checkpoints and for
// replicas that must stay identical: the same update as tf.train.adam, but keyed by stable
// weight names instead of process-local variable names.
import { tf } from '../compute/backend.ts';
import type { WeightMap } from '../models/weights.ts';

export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface AdamState {
  config: AdamConfig;
  step: number;
  m: WeightMap;
  v: WeightMap;
}

/** The paper's settings: lr 1e-4, β1 0.5. */
export const GAN_ADAM: AdamConfig = { learningRate: 1e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 };

export class Adam {
  private cfg: AdamConfig;
  private step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(config: Partial<AdamConfig> = {}) {
    this.cfg = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, ...config };
  }

  get config(): Readonly<AdamConfig> {
    return this.cfg;
  }

  get iterations(): number {
    return this.step;
  }

  /** One update of the named variables; every gradient must name one of them. */
  apply(vars: Map<string, tf.Variable>, grads: Map<string, Float32Array>): void {
    for (const k of grads.keys()) if (!vars.has(k)) throw new Error(`${k}: gradient for an unknown variable`);
    this.step += 1;
    const { learningRate: lr, beta1: b1, beta2: b2, epsilon } = this.cfg;
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    for (const [k, g] of grads) {
      const variable = vars.get(k)!;
      if (g.length !== variable.size) throw new Error(`${k}: gradient has ${g.length} values, variable ${variable.size}`);
      const m = this.moment(this.m, k, variable);
      const v = this.moment(this.v, k, variable);
      tf.tidy(() => {
        const gt = tf.tensor(g, variable.shape);
        const m1 = tf.add(tf.mul(m, b1), tf.mul(gt, 1 - b1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(gt), 1 - b2));
        m.assign(m1);
        v.assign(v1);
        variable.assign(tf.sub(variable, tf.mul(tf.div(tf.div(m1, c1), tf.add(tf.sqrt(tf.div(v1, c2)), epsilon)), lr)));
      });
    }
  }

  private moment(store: Map<string, tf.Variable>, key: string, like: tf.Variable): tf.Variable {
    let t = store.get(key);
    if (!t) {
      t = tf.tidy(() => tf.variable(tf.zerosLike(like), false));
      store.set(key, t);
    }
    return t;
  }

  exportState(): AdamState {
    const copy = (s: Map<string, tf.Variable>): WeightMap => new Map([...s].map(([k, t]) => [k, Float32Array.from(t.dataSync())]));
    return { config: { ...this.cfg }, step: this.step, m: copy(this.m), v: copy(this.v) };
  }

  /** Replaces the settings, moments and step; the variables they belong to supply the shapes. */
  importState(state: AdamState, vars: Map<string, tf.Variable>): void {
    this.disposeMoments();
    this.cfg = { ...state.config };
    this.step = state.step;
    for (const [store, src] of [[this.m, state.m], [this.v, state.v]] as const) {
      for (const [k, values] of src) {
        const like = vars.get(k);
        if (!like) throw new Error(`${k}: optimizer state for an unknown variable`);
        if (values.length !== like.size) throw new Error(`${k}: optimizer state has ${values.length} values, variable ${like.size}`);
        store.set(k, tf.tidy(() => tf.variable(tf.tensor(values, like.shape), false)));
      }
    }
  }

  private disposeMoments(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }

  dispose(): void {
    this.disposeMoments();
  }
}
