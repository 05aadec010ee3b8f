// Rhythm episodes from the aux strings of rhythm-change annotations ('+' with "(AFIB" etc.):
// each episode runs from its change to the next change or the record's end.

/** MIT-BIH rhythm codes spelled out (PhysioNet "Rhythm annotations"). */
export const RHYTHM_NAMES: Record<string, string> = {
  '(AB': 'Atrial bigeminy',
  '(AFIB': 'Atrial fibrillation',
  '(AFL': 'Atrial flutter',
  '(B': 'Ventricular bigeminy',
  '(BII': '2° heart block',
  '(IVR': 'Idioventricular rhythm',
  '(N': 'Normal sinus rhythm',
  '(NOD': 'Nodal (A-V junctional) rhythm',
  '(P': 'Paced rhythm',
  '(PREX': 'Pre-excitation (WPW)',
  '(SBR': 'Sinus bradycardia',
  '(SVTA': 'Supraventricular tachyarrhythmia',
  '(T': 'Ventricular trigeminy',
  '(VFL': 'Ventricular flutter',
  '(VT': 'Ventricular tachycardia',
};

export interface RhythmEpisode {
  /** First frame of the episode. */
  start: number;
  /** Frame after its last. */
  end: number;
  code: string;
  name: string;
}

export function rhythmName(code: string): string {
  return RHYTHM_NAMES[code] ?? (code.startsWith('(') ? `Rhythm ${code.slice(1)}` : code);
}

/** Episodes in sample order; a change to the rhythm already in force extends it. */
export function rhythmEpisodes(annotations: readonly { sample: number; aux: string | null }[], numFrames: number): RhythmEpisode[] {
  const changes = annotations
    .filter((a) => a.aux !== null && a.aux.trim().startsWith('('))
    .map((a) => ({ sample: a.sample, code: a.aux!.trim() }))
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
