// The model card schema lives in the shared contract (the registry ops carry cards); models/ re-exports it.
export * from '../../src-shared/contract/model-card.ts';
