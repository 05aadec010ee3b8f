// The generator's noise input: uniform noise through a Gaussian filter (σ = 4 samples), from a seeded RNG.

/** A normalised Gaussian kernel truncated at ±4σ. */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.ceil(4 * sigma);
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] = k[i]! / sum;
  return k;
}

/** n rows of `length` samples: U(0,1) noise smoothed by a Gaussian (edges reflected, as scipy's gaussian_filter1d). */
export function smoothedNoise(n: number, length: number, rand: () => number, sigma = 4): Float32Array {
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) / 2;
  const raw = new Float32Array(length);
  const out = new Float32Array(n * length);
  const reflect = (i: number): number => {
    // Half-sample symmetric reflection: ... 1 0 | 0 1 2 ... L-1 | L-1 L-2 ...
    const p = 2 * length;
    let j = ((i % p) + p) % p;
    if (j >= length) j = p - 1 - j;
    return j;
  };
  for (let b = 0; b < n; b++) {
    for (let t = 0; t < length; t++) raw[t] = rand();
    for (let t = 0; t < length; t++) {
      let s = 0;
      for (let j = -r; j <= r; j++) s += k[j + r]! * raw[reflect(t + j)]!;
      out[b * length + t] = s;
    }
  }
  return out;
}
