export * from './classification.ts';
export * from './robustness.ts';
