// Errors that cross the API boundary. Pure module: imported by main and renderer.

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

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  /** Machine-readable context, e.g. the failing field paths or file name. */
  details?: unknown;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
  toShape(): ApiErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
  static from(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.details);
  }
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

/** HTTP status for an error code, so the loopback host speaks plain HTTP too. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
    case 'BAD_FILE':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'NOT_FOUND':
    case 'UNKNOWN_OPERATION':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'CANCELLED':
      return 499;
    case 'INTERNAL':
      return 500;
  }
}
