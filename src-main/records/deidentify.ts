// De-identification on import (HIPAA safe-harbour style): dates to the year, ages over 89
// to "90+", free-text lines that may name people removed. Originals are never modified;
// the caller records the returned changes in the audit log.

export interface Change {
  field: string;
  before: string;
  after: string | null;
}

const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const PERSON = /\b(name|physician|doctor|dr\.|referr|patient id|surname|address|phone|nurse|technician|operator)\b/i;

function fullYear(y: string): string {
  if (y.length === 4) return y;
  const n = Number(y);
  return String(n >= 30 ? 1900 + n : 2000 + n);
}

/** Replaces every recognisable date in a text with its year. */
export function datesToYear(text: string): string {
  return text
    .replace(/\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})\b/g, (_m, _d, _mo, y: string) => fullYear(y))
    .replace(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, (_m, y: string) => y)
    .replace(new RegExp(`\\b(\\d{1,2})[- ](${MONTHS})[a-z]*[- ](\\d{4}|\\d{2})\\b`, 'gi'), (_m, _d, _mo, y: string) => fullYear(y));
}

/** Ages above 89 become "90+": "age: 93", "Age 95", and MIT-BIH's leading "93 M …". */
export function capAges(text: string): string {
  const cap = (a: string): string => (Number(a) > 89 ? '90+' : a);
  return text
    .replace(/\b(age\s*[:=]?\s*)(\d{1,3})\b/gi, (_m, p: string, a: string) => p + cap(a))
    .replace(/^(\s*)(\d{1,3})(\s+[MF]\b)/, (_m, s: string, a: string, r: string) => s + cap(a) + r);
}

/**
 * EDF+ local patient identification: "code sex birthdate name [free text]". The code and the
 * name identify the patient outright; the birth date keeps only its year.
 */
export function deidentifyEdfPatient(field: string): string {
  const parts = field.trim().split(/\s+/);
  if (parts.length < 4) return parts.length && parts.every((p) => p === 'X') ? field.trim() : 'X X X X';
  const [, sex, birth] = parts;
  const year = birth === 'X' ? 'X' : (/(\d{4})$/.exec(birth!)?.[1] ?? 'X');
  return `X ${sex} ${year} X`;
}

export function deidentifyInfo(lines: string[]): { lines: string[]; changes: Change[] } {
  const out: string[] = [];
  const changes: Change[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('EDF patient: ')) {
      const next = `EDF patient: ${deidentifyEdfPatient(line.slice('EDF patient: '.length))}`;
      if (next !== line) changes.push({ field: `info[${i}]`, before: line, after: next });
      out.push(next);
      return;
    }
    if (PERSON.test(line)) {
      changes.push({ field: `info[${i}]`, before: line, after: null });
      return;
    }
    const next = capAges(datesToYear(line));
    if (next !== line) changes.push({ field: `info[${i}]`, before: line, after: next });
    out.push(next);
  });
  return { lines: out, changes };
}

/** A base date (DD/MM/YYYY, or EDF's dd.mm.yy) reduced to its year. */
export function deidentifyDate(date: string | null, field: string, changes: Change[]): string | null {
  if (date === null || date === '') return date;
  const m = /(\d{2,4})\s*$/.exec(date);
  const after = m ? fullYear(m[1]!) : null;
  if (after !== date) changes.push({ field, before: date, after });
  return after;
}
