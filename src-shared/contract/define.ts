// Building blocks of the contract: an operation is an input schema, an output schema and
// whether it starts a job; every domain file defines its operations with these.
import { z } from 'zod';
import { ERROR_CODES } from '../errors.ts';

export interface OpDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** True when the op starts a background job: output is a JobRef, progress arrives as events. */
  job: boolean;
  summary: string;
}

export const JobRef = z.object({ jobId: z.string() });
export type JobRef = z.infer<typeof JobRef>;

export function op<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): OpDef<I, O> {
  return { input, output, job: false, summary };
}

export function job<I extends z.ZodType>(input: I, summary: string): OpDef<I, typeof JobRef> {
  return { input, output: JobRef, job: true, summary };
}

export const Empty = z.object({}).strict();
export const StringId = z.object({ id: z.string().min(1) }).strict();

export const ErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.unknown().optional(),
});
