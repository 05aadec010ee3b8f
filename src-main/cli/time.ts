// rdsamp's notation for positions in a record: times (`ss`, `mm:ss`, `hh:mm:ss.sss`) or
// sample numbers written `s12345`; `e` is the end of the record.

/** Frame number of a time or sample argument at `frequency`; throws with a message naming the flag. */
export function parsePosition(value: string, frequency: number, flag: string, end?: number): number {
  const v = value.trim();
  if (v === 'e' && end !== undefined) return end;
  const sample = /^s(\d+)$/.exec(v);
  if (sample) return Number(sample[1]);
  const m = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:\.\d+)?)$/.exec(v);
  if (!m) throw new Error(`${flag}: "${value}" is not a time (ss, mm:ss or hh:mm:ss.sss) or a sample number (s12345)`);
  const [, h, mi, s] = m;
  if (mi !== undefined && Number(s) >= 60) throw new Error(`${flag}: "${value}" has ${s} seconds; use fewer than 60 after a colon`);
  const seconds = Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s);
  return Math.round(seconds * frequency);
}
