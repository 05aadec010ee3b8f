// De-identification on import (HIPAA safe-harbour style): dates to the year, ages over 89
// to "90+", free-text lines that may name people removed. Originals are never modified.
// What was removed is never returned: a Change says only where and what kind, so the audit
// log (append-only, kept forever) cannot become a copy of the identifiers.

export type ChangeKind = 'date' | 'age' | 'name-line' | 'edf-patient';

export interface Change {
  /** "info[i]" (index among the source's info lines, before removals) or "startDate". */
  field: string;
  kind: ChangeKind;
}

const PERSON = /\b(name|physician|doctor|dr\.|referr|patient id|surname|address|phone|nurse|technician|operator)\b/i;

/** Written in a date's place when its year is not written out in four digits. */
export const REDACTED_DATE = '[date]';

// Building blocks of written dates. Names are matched whole ("Marked" is not "Mar") with an
// optional abbreviation dot; a day may carry an ordinal suffix.
const MONTH = '(?<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\\.?';
const DAY = '(?:3[01]|[12]\\d|0?[1-9])(?:st|nd|rd|th)?(?![\\da-z])';
const YEAR = "(?:(?<year>\\d{4})|(?<yy>'?\\d{2}))(?![\\w'])";
const SEP = '(?:\\s*[,/-]\\s*|\\s+)';
const WEEKDAY = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+)?';
const TIME = '(?:T\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?';
const NUM_START = '(?<![\\w./:-])';
const NUM_END = '(?![\\w:]|[./-]\\d)';

const DATE_PATTERNS: RegExp[] = [
  // ISO and other year-first numeric dates, with an optional ISO time: 1931-03-12T10:00
  new RegExp(`${NUM_START}(?<year>\\d{4})([-/.])(?:1[0-2]|0?[1-9])\\2(?:3[01]|[12]\\d|0?[1-9])${TIME}${NUM_END}`, 'gi'),
  // Day and month in either order, same separator twice: 03/12/1931, 12.03.1931, 12-03-31
  new RegExp(`${NUM_START}(?<a>\\d{1,2})([-/.])(?<b>\\d{1,2})\\2(?:(?<year>\\d{4})|\\d{2})${NUM_END}`, 'gi'),
  // Year first with a month name: 1931 March 12, 1931-Mar-12
  new RegExp(`(?<!\\w)(?<year>\\d{4})${SEP}${MONTH}${SEP}${DAY}`, 'gi'),
  // Day first (before month first, so 12-Mar-31 is not read as Mar-31): [Tuesday,] [the] 12[th] [of] March[,] [1931 | '31 | 31]
  new RegExp(`(?<!\\w)${WEEKDAY}(?:the\\s+)?${DAY}(?:\\s+of\\s+|${SEP})${MONTH}(?:${SEP}${YEAR})?`, 'gi'),
  // Month name first: [Tuesday,] March 12[th][,] [1931 | '31 | 31]
  new RegExp(`(?<!\\w)${WEEKDAY}${MONTH}${SEP}${DAY}(?:${SEP}${YEAR})?`, 'gi'),
  // Month and year: March 1931, Mar '31
  new RegExp(`(?<!\\w)${MONTH}${SEP}(?:(?<year>\\d{4})|(?<yy>'\\d{2}))(?![\\w'])`, 'gi'),
];

interface DateGroups {
  year?: string;
  yy?: string;
  month?: string;
  a?: string;
  b?: string;
}

/** The replacement for one matched date, or the match itself where it is not a date after all. */
function replacement(match: string, g: DateGroups): string {
  if (g.a !== undefined && g.b !== undefined) {
    // Numeric day/month: one of the two must be a month, both must be days.
    const [a, b] = [Number(g.a), Number(g.b)];
    if (a < 1 || b < 1 || a > 31 || b > 31 || Math.min(a, b) > 12) return match;
  }
  // "may 12" without a year is more often the verb than the month.
  if (g.year === undefined && g.yy === undefined && g.month?.toLowerCase() === 'may') return match;
  return g.year ?? REDACTED_DATE;
}

/**
 * Replaces every recognisable date in a text by its four-digit year, or by "[date]" where the
 * year is missing or written with two digits (its century is unknowable, so none is invented).
 */
export function datesToYear(text: string): string {
  return DATE_PATTERNS.reduce(
    (out, re) =>
      out.replace(re, (match: string, ...rest: unknown[]) => replacement(match, rest.at(-1) as DateGroups)),
    text,
  );
}

/** Ages above 89 become "90+": "age: 93", "aged 95", "93 years old", "93-year-old", "93 yo", MIT-BIH's leading "93 M …". */
export function capAges(text: string): string {
  // No two unbounded \s* next to each other: that backtracks quadratically on long blank runs.
  const cap = (a: string): string => (Number(a) > 89 ? '90+' : a);
  return text
    .replace(/\b(aged?\s*(?:[:=]\s*)?)(\d{1,3})\b/gi, (_m, p: string, a: string) => p + cap(a))
    .replace(/\b(\d{1,3})(\s*(?:-\s*)?(?:years?|yrs?|y\/o|y\.?o\.?)(?![a-z]))/gi, (_m, a: string, r: string) => cap(a) + r)
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
    const field = `info[${i}]`;
    if (line.startsWith('EDF patient: ')) {
      const next = `EDF patient: ${deidentifyEdfPatient(line.slice('EDF patient: '.length))}`;
      if (next !== line) changes.push({ field, kind: 'edf-patient' });
      out.push(next);
      return;
    }
    if (PERSON.test(line)) {
      changes.push({ field, kind: 'name-line' });
      return;
    }
    const dated = datesToYear(line);
    if (dated !== line) changes.push({ field, kind: 'date' });
    const next = capAges(dated);
    if (next !== dated) changes.push({ field, kind: 'age' });
    out.push(next);
  });
  return { lines: out, changes };
}

/** A record's structured base date (DD/MM/YYYY) reduced to its year. */
export function deidentifyDate(date: string | null, field: string, changes: Change[]): string | null {
  if (date === null || date === '') return date;
  const m = /(\d{4})\s*$/.exec(date);
  const after = m ? m[1]! : REDACTED_DATE;
  if (after !== date) changes.push({ field, kind: 'date' });
  return after;
}
