// Viewer figures (printed, never asserted): window requests on the loopback host, and frame times
// in Chromium while paging through record 100 and wheel-zooming. Needs `npx electron-vite build`.
import { chromium } from '@playwright/test';
import { startServer } from '../e2e/fixtures.ts';
import { CHROMIUM } from '../playwright.config.ts';

const stats = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms (n=${s.length})`;
};

interface Recorded {
  frames: number[];
  draws: number[];
  loaf: { d: number; script: number }[];
}
// Page-side recorders as source text (this file is type-checked without the DOM library):
// rAF intervals, the viewer's own redraw times (data-draw-ms) and long animation frames.
const RECORDER_START = `(() => {
  const w = window;
  w.__frames = []; w.__draws = []; w.__loaf = []; w.__run = true;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__loaf.push({ d: e.duration, script: e.scripts.reduce((a, s) => a + s.duration, 0) }); }).observe({ type: 'long-animation-frame' });
  let last = performance.now();
  const tick = (now) => { w.__frames.push(now - last); last = now; if (w.__run) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const el = document.querySelector('[data-testid="ecg-paper"]');
  new MutationObserver(() => w.__draws.push(Number(el.getAttribute('data-draw-ms')))).observe(el, { attributes: true, attributeFilter: ['data-draw-ms'] });
})()`;
const RECORDER_STOP = `(() => { window.__run = false; return { frames: window.__frames.slice(1), draws: window.__draws, loaf: window.__loaf }; })()`;

export async function benchViewer(log: (line: string) => void): Promise<void> {
  const { server, stop } = await startServer();
  try {
    const token = new URL(server.launchUrl).hash.replace('#token=', '');
    const call = async <T>(op: string, input: unknown): Promise<T> => {
      const res = await fetch(`${server.origin}/api/call/${op}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
      const env = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
      if (!env.ok) throw new Error(env.error?.message);
      return env.value;
    };
    const { jobId } = await call<{ jobId: string }>('records.importSamples', {});
    while ((await call<{ state: string }>('jobs.get', { id: jobId })).state !== 'succeeded') await new Promise((r) => setTimeout(r, 100));
    const rec = (await call<{ id: number; name: string; numFrames: number }[]>('records.list', {})).find((r) => r.name === '100')!;

    let t0 = performance.now();
    await call('records.overview', { id: rec.id });
    log(`records.overview of record 100 (whole record, 2000 columns, first call): ${(performance.now() - t0).toFixed(0)} ms`);
    t0 = performance.now();
    await call('records.overview', { id: rec.id });
    log(`records.overview again (whole-record read cached): ${(performance.now() - t0).toFixed(0)} ms`);

    const win: number[] = [];
    const ann: number[] = [];
    for (let i = 0; i < 60; i++) {
      const from = Math.floor(((i * 7919) % 170) * 3600);
      t0 = performance.now();
      await call('records.window', { id: rec.id, from, to: from + 3600, leads: [0, 1] });
      win.push(performance.now() - t0);
      t0 = performance.now();
      await call('records.annotations', { id: rec.id, from, to: from + 3600 });
      ann.push(performance.now() - t0);
    }
    log(`records.window, 10 s × 2 leads of record 100 over loopback HTTP: ${stats(win.slice(1))}`);
    log(`records.annotations for the same 10 s: ${stats(ann.slice(1))}`);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
      await page.goto(server.launchUrl);
      await page.getByRole('link', { name: 'Records' }).click();
      await page.getByTestId('records-table').getByRole('row').filter({ hasText: /^100/ }).click();
      const paper = page.getByTestId('ecg-paper');
      await paper.waitFor();
      await page.waitForSelector('[data-testid="ecg-paper"][data-loaded="yes"]');
      const record = async (action: () => Promise<void>): Promise<Recorded> => {
        await page.evaluate(RECORDER_START);
        await action();
        return page.evaluate<Recorded>(RECORDER_STOP);
      };
      await paper.focus();
      const pages = Math.ceil(rec.numFrames / Number(await paper.getAttribute('data-frames')));
      const paging = await record(async () => {
        for (let i = 0; i < pages; i++) {
          await page.keyboard.press('PageDown');
          await page.waitForTimeout(40);
        }
      });
      log(`paging through all of record 100 (${pages} pages, PageDown every ~40 ms): frame intervals ${stats(paging.frames)}; ${paging.frames.filter((f) => f > 50).length} frames over 50 ms; canvas redraw ${stats(paging.draws)}`);
      log(`  long animation frames (> 50 ms) while paging: ${paging.loaf.length}, of which script time ${paging.loaf.length ? stats(paging.loaf.map((l) => l.script)) : '—'}`);
      const box = (await paper.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + 100);
      const zooming = await record(async () => {
        for (let i = 0; i < 30; i++) {
          await page.mouse.wheel(0, i < 15 ? 100 : -100);
          await page.waitForTimeout(40);
        }
      });
      log(`wheel zoom out and in (30 notches, 25 → 2.5 → 25 mm/s): frame intervals ${stats(zooming.frames)}; ${zooming.frames.filter((f) => f > 50).length} frames over 50 ms; canvas redraw ${stats(zooming.draws)}`);
      log(`  long animation frames (> 50 ms) while zooming: ${zooming.loaf.length}, of which script time ${zooming.loaf.length ? stats(zooming.loaf.map((l) => l.script)) : '—'}`);
    } finally {
      await browser.close();
    }
  } finally {
    await stop();
  }
}
