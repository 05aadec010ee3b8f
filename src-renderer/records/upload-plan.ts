// Which picked or dropped files go up together. A WFDB record is its .hea plus the signal
// and annotation files that share its name, so files are grouped by record name and a
// group is never split across uploads. Groups share an upload unless two files would have
// the same name there (same-named records from different folders) or it would grow too big.

export const RECORD_EXTENSIONS = ['.hea', '.edf', '.csv'] as const;

export interface Sized {
  name: string;
  size: number;
}

export interface UploadPlan<T extends Sized> {
  /** Each batch is one upload (one folder on the host). */
  batches: T[][];
  /** Files left out, and why, in words for the person who picked them. */
  notes: string[];
}

/** "100" for 100.hea, 100.dat and 100.atr; a name without an extension is its own stem. */
export function recordStem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function isRecordFile(name: string): boolean {
  const lower = name.toLowerCase();
  return RECORD_EXTENSIONS.some((e) => lower.endsWith(e));
}

export function planUploads<T extends Sized>(files: readonly T[], maxBytes: number): UploadPlan<T> {
  const groups = new Map<string, T[]>();
  const notes: string[] = [];
  for (const f of files) {
    if (f.name.startsWith('.')) continue; // hidden files (.DS_Store…) are never records
    const stem = recordStem(f.name);
    groups.set(stem, [...(groups.get(stem) ?? []), f]);
  }
  const batches: { files: T[]; names: Set<string>; bytes: number }[] = [];
  for (const [stem, all] of groups) {
    // The same record picked twice from different folders: each copy is its own group.
    const copies: T[][] = [];
    for (const f of all) {
      const target = copies.find((c) => !c.some((x) => x.name === f.name));
      if (target) target.push(f);
      else copies.push([f]);
    }
    for (const group of copies) {
      if (!group.some((f) => isRecordFile(f.name))) {
        notes.push(`${group.map((f) => f.name).join(', ')}: no ${stem}.hea (or .edf/.csv) picked with ${group.length > 1 ? 'them' : 'it'}; add the record's header file`);
        continue;
      }
      const bytes = group.reduce((s, f) => s + f.size, 0);
      if (bytes > maxBytes) {
        notes.push(`${stem}: ${bytes} bytes is over the upload limit of ${maxBytes} bytes; import it by typing its path instead`);
        continue;
      }
      let batch = batches.find((b) => b.bytes + bytes <= maxBytes && !group.some((f) => b.names.has(f.name)));
      if (!batch) batches.push((batch = { files: [], names: new Set(), bytes: 0 }));
      for (const f of group) {
        batch.files.push(f);
        batch.names.add(f.name);
      }
      batch.bytes += bytes;
    }
  }
  return { batches: batches.map((b) => b.files), notes };
}
