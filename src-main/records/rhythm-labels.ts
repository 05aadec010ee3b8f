// Distinct rhythm labels per record, for filtering the record list. MIT rhythm changes
// are annotations whose aux string starts with "(" (e.g. "(AFIB", "(N"); anything after
// the label (a trailing NUL or a comment) is not part of the label.
import type { Store } from '../store/db.ts';
import { rhythmLabel } from '../../src-shared/rhythms.ts';

/** Record id → sorted distinct rhythm labels, for every record that has any. */
export function rhythmLabelsByRecord(store: Store): { recordId: number; labels: string[] }[] {
  const rows = store.records.rhythmAux();
  const out = new Map<number, Set<string>>();
  for (const { recordId, aux } of rows) {
    const label = rhythmLabel(aux);
    if (!label) continue;
    let set = out.get(recordId);
    if (!set) out.set(recordId, (set = new Set()));
    set.add(label);
  }
  return [...out].map(([recordId, labels]) => ({ recordId, labels: [...labels].sort() }));
}
