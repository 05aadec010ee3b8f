// The one error type of the app. Domain code throws an AppError (a plain typed error with a
// code); only the dispatch layer turns it into the wire envelope. Runs anywhere: no Node, no DOM.

export const ERROR_CODES = [
  'INVALID_INPUT', // payload failed the operation's schema
  'UNKNOWN_OPERATION',
  'NOT_FOUND',
  'BAD_FILE', // a file the user gave could not be read; message names the file and the problem
  'CONFLICT',
  'CANCELLED',
  'UNAUTHORIZED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  /** Machine-readable context, e.g. the failing field paths or file name. */
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  static from(shape: ErrorShape): AppError {
    return new AppError(shape.code, shape.message, shape.details);
  }
}

export function isCancelled(err: unknown): boolean {
  return err instanceof AppError && err.code === 'CANCELLED';
}

/** What travels on the wire for every call: a value or an error shape. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };
