export * from './classification.ts';
export * from './perturbation.ts';
