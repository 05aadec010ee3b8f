// Rhythm episodes from the aux strings of rhythm-change annotations ('+' with "(AFIB" etc.):
// each episode runs from its change to the next change or the record's end.

import { rhythmLabel, rhythmName } from '../../src-shared/rhythms.ts';
import type { RhythmEpisode } from '../../src-shared/contract/index.ts';

/** Episodes in sample order; a change to the rhythm already in force extends it. */
export function rhythmEpisodes(annotations: readonly { sample: number; aux: string | null }[], numFrames: number): RhythmEpisode[] {
  const changes = annotations
    .flatMap((a) => {
      const code = rhythmLabel(a.aux);
      return code ? [{ sample: a.sample, code }] : [];
    })
    .sort((a, b) => a.sample - b.sample);
  const out: RhythmEpisode[] = [];
  for (const c of changes) {
    const last = out.at(-1);
    if (last && last.code === c.code) continue;
    if (last) last.end = c.sample;
    out.push({ start: c.sample, end: numFrames, code: c.code, name: rhythmName(c.code) });
  }
  return out.filter((e) => e.end > e.start);
}
