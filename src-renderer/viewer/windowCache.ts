// Loads a record in aligned chunks from the main process: only what is visible plus the next
// and previous chunk (prefetched), so paging draws from memory while the next request runs.
import type { ApiClient, StoredAnnotation } from '../../src-shared/contract/index.ts';
import type { LeadSamples } from './geometry.ts';

export const CHUNK_SECONDS = 10;
const MAX_CHUNKS = 48;

interface Chunk {
  from: number;
  to: number;
  leads: Map<number, Float32Array>;
  annotations: StoredAnnotation[];
}

export class WindowCache {
  private readonly chunks = new Map<number, Chunk>();
  private readonly pending = new Map<number, Promise<void>>();
  private readonly chunkFrames: number;
  private readonly api: ApiClient;
  private readonly record: { id: number; frequency: number; numFrames: number };
  private readonly leads: number[];
  private readonly onLoad: () => void;
  constructor(api: ApiClient, record: { id: number; frequency: number; numFrames: number }, leads: number[], onLoad: () => void) {
    this.api = api;
    this.record = record;
    this.leads = leads;
    this.onLoad = onLoad;
    this.chunkFrames = Math.max(1, Math.round(CHUNK_SECONDS * record.frequency));
  }

  private load(k: number): Promise<void> {
    if (this.chunks.has(k)) return Promise.resolve();
    let p = this.pending.get(k);
    if (!p) {
      const from = k * this.chunkFrames;
      const to = Math.min(this.record.numFrames, from + this.chunkFrames);
      p = Promise.all([
        this.api.call('records.window', { id: this.record.id, from, to, leads: this.leads }),
        this.api.call('records.annotations', { id: this.record.id, from, to }),
      ]).then(([w, annotations]) => {
        const leads = new Map(w.leads.map((l) => [l.index, Float32Array.from(l.values, (v) => v ?? NaN)]));
        this.chunks.set(k, { from, to, leads, annotations });
        this.pending.delete(k);
        while (this.chunks.size > MAX_CHUNKS) this.chunks.delete(this.chunks.keys().next().value!);
        this.notify();
      });
      p.catch(() => this.pending.delete(k));
      this.pending.set(k, p);
    }
    return p;
  }

  // Chunks arriving together (a zoomed-out window needs many) cause one redraw, not one each.
  private scheduled = false;
  private notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.onLoad();
    });
  }

  private range(from: number, to: number): number[] {
    const ks: number[] = [];
    const last = Math.ceil(this.record.numFrames / this.chunkFrames) - 1;
    for (let k = Math.max(0, Math.floor(from / this.chunkFrames)); k <= Math.min(last, Math.floor((to - 1) / this.chunkFrames)); k++) ks.push(k);
    return ks;
  }

  /** Loads what [from, to) needs, then the chunks either side of it. */
  async ensure(from: number, to: number): Promise<void> {
    const ks = this.range(from, to);
    await Promise.all(ks.map((k) => this.load(k)));
    const span = to - from;
    for (const k of [...this.range(to, to + span), ...this.range(from - this.chunkFrames, from)]) void this.load(k).catch(() => undefined);
  }

  has(from: number, to: number): boolean {
    return this.range(from, to).every((k) => this.chunks.has(k));
  }

  samples(lead: number, from: number, to: number): LeadSamples {
    const a = Math.max(0, Math.floor(from));
    const b = Math.max(a + 1, Math.ceil(to));
    const values = new Float32Array(b - a).fill(NaN);
    for (const k of this.range(a, b)) {
      const c = this.chunks.get(k);
      const v = c?.leads.get(lead);
      if (!c || !v || v.length !== c.to - c.from) continue; // leads sampled off the frame rate are not drawn
      const s = Math.max(a, c.from);
      const e = Math.min(b, c.to);
      values.set(v.subarray(s - c.from, e - c.from), s - a);
    }
    return { from: a, to: b, values };
  }

  annotations(from: number, to: number): StoredAnnotation[] {
    return this.range(Math.max(0, Math.floor(from)), Math.ceil(to)).flatMap((k) => this.chunks.get(k)?.annotations.filter((x) => x.sample >= from && x.sample < to) ?? []);
  }
}
