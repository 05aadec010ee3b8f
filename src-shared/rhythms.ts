// Rhythm labels of the MIT-BIH family of databases (aux strings of rhythm-change
// annotations) spelled out, as a cardiologist reads them. Shared by the episode list on the
// main side and the record list in the renderer.
export const RHYTHM_NAMES: Readonly<Record<string, string>> = {
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

/** The rhythm label in an aux string ("(AFIB" from "(AFIB\0"), or null when the aux is not a rhythm change. */
export function rhythmLabel(aux: string | null): string | null {
  if (!aux) return null;
  const m = /^\((\S+?)\s*(?:\0.*)?$/s.exec(aux.trim());
  return m?.[1] ? `(${m[1]}` : null;
}

/** "Atrial fibrillation" for "(AFIB"; an unknown label without its parenthesis. */
export function rhythmName(label: string): string {
  return RHYTHM_NAMES[label] ?? label.replace(/^\(/, '');
}
