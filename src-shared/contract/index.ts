// The one typed contract of the app API. Every operation is defined once per domain —
// input, output and whether it starts a job — and merged here into one `ops` map, which is
// bound to Electron IPC and to the loopback HTTP host. Pure: zod only, runs anywhere.
import { z } from 'zod';
import type { OpDef } from './define.ts';
import { appOps } from './app.ts';
import { recordOps } from './records.ts';
import { datasetOps } from './datasets.ts';
import { jobOps, JobStatus } from './jobs.ts';
import { modelOps } from './models.ts';
import { trainingOps } from './training.ts';
import { auditOps } from './audit-ops.ts';

export * from './define.ts';
export * from './app.ts';
export * from './records.ts';
export * from './datasets.ts';
export * from './jobs.ts';
export * from './models.ts';
export * from './model-card.ts';
export * from './training.ts';
export * from './attacks.ts';
export * from './audits.ts';
export * from './audit-ops.ts';

export const ops = {
  ...appOps,
  ...jobOps,
  ...recordOps,
  ...datasetOps,
  ...modelOps,
  ...trainingOps,
  ...auditOps,
} satisfies Record<string, OpDef<z.ZodType, z.ZodType>>;

export type Ops = typeof ops;
export type OpName = keyof Ops;
export const OP_NAMES = Object.keys(ops) as OpName[];
export type OpInput<K extends OpName> = z.input<Ops[K]['input']>;
export type OpParsedInput<K extends OpName> = z.output<Ops[K]['input']>;
export type OpOutput<K extends OpName> = z.output<Ops[K]['output']>;

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.hasOwn(ops, name);
}

/** Events pushed from main to renderer (IPC channel / HTTP event stream). */
export const ApiEvent = z.discriminatedUnion('type', [z.object({ type: z.literal('job'), job: JobStatus })]);
export type ApiEvent = z.infer<typeof ApiEvent>;

/** The client interface the renderer and the CLI code against; each transport implements it. */
export interface ApiClient {
  call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  readonly transport: 'ipc' | 'http' | 'in-process';
}
