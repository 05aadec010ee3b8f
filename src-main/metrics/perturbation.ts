// Size of an adversarial perturbation of one beat: L2 and L∞ norms of δ = adversarial − clean, and
// the signal-to-noise ratio 10·log10(Σclean² / Σδ²) in dB.

/** SNR reported for an unchanged beat (δ = 0), where the ratio is infinite and JSON has no Infinity. */
export const SNR_CAP_DB = 200;

export function perturbation(clean: ArrayLike<number>, adversarial: ArrayLike<number>): { l2: number; linf: number; snrDb: number } {
  if (clean.length !== adversarial.length) throw new Error(`perturbation: ${clean.length} clean samples but ${adversarial.length} adversarial`);
  let signal = 0;
  let noise = 0;
  let linf = 0;
  for (let i = 0; i < clean.length; i++) {
    const d = adversarial[i]! - clean[i]!;
    signal += clean[i]! * clean[i]!;
    noise += d * d;
    linf = Math.max(linf, Math.abs(d));
  }
  const snrDb = noise === 0 ? SNR_CAP_DB : signal === 0 ? -SNR_CAP_DB : Math.min(SNR_CAP_DB, 10 * Math.log10(signal / noise));
  return { l2: Math.sqrt(noise), linf, snrDb };
}
