// Every problem with a user's file becomes a BAD_FILE AppError that names the file.
import { basename } from 'node:path';
import { AppError } from '../../src-shared/errors.ts';

export class SignalFileError extends AppError {
  readonly file: string;
  readonly problem: string;
  constructor(file: string, problem: string) {
    super('BAD_FILE', `${basename(file)}: ${problem}`, { file, problem });
    this.name = 'SignalFileError';
    this.file = file;
    this.problem = problem;
  }
}

export function fail(file: string, problem: string): never {
  throw new SignalFileError(file, problem);
}
