// A labelled form field whose error (from the API's validation) is shown beside it and tied to the
// input with aria-describedby; shared by the forms that start jobs.
import type { ReactNode } from 'react';
import { AppError } from '../../src-shared/errors.ts';

/** The API names the failing field in each validation issue; map them onto the form's fields. */
export function fieldErrors<F extends string>(err: unknown, fields: readonly F[]): Partial<Record<F, string>> {
  if (!(err instanceof AppError) || err.code !== 'INVALID_INPUT' || !Array.isArray(err.details)) return {};
  const out: Partial<Record<F, string>> = {};
  for (const d of err.details as { path?: unknown; message?: unknown }[]) {
    const f = Array.isArray(d.path) ? String(d.path[0]) : '';
    if ((fields as readonly string[]).includes(f) && typeof d.message === 'string') out[f as F] = d.message;
  }
  return out;
}

export function Labelled({ id, label, error, children }: { id: string; label: string; error?: string; children: (describedBy: string | undefined) => ReactNode }) {
  const errId = `${id}-error`;
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      {children(error ? errId : undefined)}
      {error ? (
        <span id={errId} className="error-text field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
