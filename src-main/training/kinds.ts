// Which networks each training kind trains, free of TensorFlow.js (the coordinator imports it).
import type { ModelKind } from '../models/card.ts';
import type { WeightMap } from '../models/weights.ts';
import type { AdamState } from './adam.ts';
import type { TrainModel } from '../../src-shared/contract/index.ts';

/** D is the classifier that is saved (the discriminator, dcnn or Kachuee); G only in atk-gan. */
export type Part = 'd' | 'g';

export const DISCRIMINATOR_KIND: Record<TrainModel, ModelKind> = { 'atk-gan': 'atk-gan-d', kachuee: 'kachuee', dcnn: 'dcnn', 'dcnn-pgd': 'dcnn' };

/** Every replica-shared model's weights and Adam state. */
export interface Snapshot {
  weights: Partial<Record<Part, WeightMap>>;
  adam: Partial<Record<Part, AdamState>>;
}
