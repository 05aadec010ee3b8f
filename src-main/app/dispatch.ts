// Validates a call against the contract, runs its handler and wraps the outcome in an
// Envelope. Both transports go through here, so validation happens exactly once, and this
// is the one place where a domain error becomes the wire's error shape.
import type { z } from 'zod';
import { ops, isOpName, type OpName, type OpParsedInput, type OpOutput } from '../../src-shared/contract/index.ts';
import { AppError, type Envelope, type ErrorShape } from '../../src-shared/errors.ts';

export type Handler<K extends OpName> = (input: OpParsedInput<K>) => Promise<OpOutput<K>> | OpOutput<K>;
export type Handlers = { [K in OpName]: Handler<K> };
/** The handlers of one domain: a slice of the contract's operations. */
export type DomainHandlers<Names extends OpName> = { [K in Names]: Handler<K> };

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`)
    .join('; ');
}

/** The wire shape of anything a handler threw. */
export function toErrorShape(op: string, err: unknown): ErrorShape {
  if (err instanceof AppError) return err.details === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, details: err.details };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `${op} failed: ${message}` };
}

export async function dispatch(handlers: Handlers, op: unknown, payload: unknown): Promise<Envelope<unknown>> {
  if (!isOpName(op)) {
    return { ok: false, error: { code: 'UNKNOWN_OPERATION', message: `Unknown operation ${JSON.stringify(op)}` } };
  }
  const def = ops[op];
  const parsed = def.input.safeParse(payload ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: `Invalid input for ${op}: ${describeIssues(parsed.error.issues)}`,
        details: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      },
    };
  }
  try {
    const handler = handlers[op] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    const checked = def.output.safeParse(value);
    if (!checked.success) {
      // A contract breach is our bug, not the caller's: report it as internal.
      return {
        ok: false,
        error: { code: 'INTERNAL', message: `Output of ${op} broke the contract: ${describeIssues(checked.error.issues)}` },
      };
    }
    return { ok: true, value: checked.data };
  } catch (err) {
    return { ok: false, error: toErrorShape(op, err) };
  }
}
