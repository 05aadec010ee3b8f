// Attack parameters as zod schemas (zod only, so the API contract can carry them); a bad request
// is refused with the field named.
import { z } from 'zod';

/** FGSM: one signed-gradient step of size eps (L∞, beats in [0, 1]). */
export const FgsmParams = z.object({ eps: z.number().min(0).max(1) }).strict();

/** PGD under L∞: alpha per step, bounded steps and restarts; seed drives the random starts. */
export const PgdParams = z
  .object({
    eps: z.number().min(0).max(1),
    alpha: z.number().gt(0).max(1),
    steps: z.number().int().min(1).max(1000),
    randomStart: z.boolean().default(true),
    restarts: z.number().int().min(1).max(20).default(1),
    seed: z.number().int().default(0),
  })
  .strict();
