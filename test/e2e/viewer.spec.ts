// The ECG viewer as a cardiologist uses it: true-scale paper, one-key jumps, go-to, calipers,
// the 12-lead sheet. Screenshots of each step are kept as test artifacts.
import { test, expect } from './fixtures.ts';
import type { Locator, Page } from '@playwright/test';

/** Pixels of the paper canvas, measured in the page: what was actually drawn. */
async function majorGridSpacing(paper: Locator): Promise<number> {
  return paper.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const dpr = c.width / c.clientWidth;
    const y = c.height - Math.round(2 * dpr); // the bottom margin, below every trace
    const row = c.getContext('2d')!.getImageData(0, y, c.width, 1).data;
    const hits: number[] = [];
    for (let x = Math.round(150 * dpr); x < c.width; x++) {
      const [r, g] = [row[4 * x]!, row[4 * x + 1]!];
      if (r > 200 && g > 130 && g < 180 && (hits.length === 0 || x - hits.at(-1)! > 2)) hits.push(x);
    }
    return (hits.at(-1)! - hits[0]!) / (hits.length - 1) / dpr;
  });
}

async function calibrationPulseHeight(paper: Locator): Promise<number> {
  return paper.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const dpr = c.width / c.clientWidth;
    const [x0, x1, top, baseline] = el.getAttribute('data-cal')!.split(',').map(Number) as [number, number, number, number];
    const ctx = c.getContext('2d')!;
    const inkRows = (x: number): number[] => {
      const col = ctx.getImageData(Math.round(x * dpr), 0, 1, c.height).data;
      const rows: number[] = [];
      for (let y = Math.round((top - 20) * dpr); y < Math.round((baseline + 20) * dpr); y++) if (col[4 * y]! < 90 && col[4 * y + 1]! < 90) rows.push(y);
      return rows;
    };
    const topRow = Math.min(...inkRows((x0 + x1) / 2)); // the pulse's flat top
    const base = inkRows(x0 + 1); // the lead-in at the baseline
    return (base.reduce((a, b) => a + b, 0) / base.length - topRow) / dpr;
  });
}

async function openRecord(app: Page, name: string): Promise<Locator> {
  await app.getByRole('link', { name: 'Records' }).click();
  await app.getByTestId('records-table').getByRole('row').filter({ hasText: new RegExp(`^${name}`) }).click();
  const paper = app.getByTestId('ecg-paper');
  await expect(paper).toHaveAttribute('data-loaded', 'yes');
  return paper;
}

test('record 100 on true-scale paper: grid, calibration pulse, PVC key, go-to, calipers', async ({ app, consoleErrors }, testInfo) => {
  await app.setViewportSize({ width: 1500, height: 950 });
  await app.getByRole('link', { name: 'Records' }).click();
  await app.getByRole('button', { name: 'Import sample records' }).click();
  await expect(app.getByTestId('job-state')).toHaveText('succeeded', { timeout: 30_000 });

  // Calibrate the display to 4.5 px/mm: the paper must follow it.
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByLabel('Pixels per millimetre').fill('4.5');
  await expect(app.getByTestId('calibration-ruler')).toHaveCSS('width', '225px');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  const paper = await openRecord(app, '100');
  await expect(paper).toHaveAttribute('data-px-per-mm', '4.5');
  expect(await majorGridSpacing(paper)).toBeCloseTo(5 * 4.5, 1);
  expect(Math.abs((await calibrationPulseHeight(paper)) - 10 * 4.5)).toBeLessThan(1.5);
  // 25 mm/s: frames per CSS px = 360 / (25 × 4.5).
  expect(Number(await paper.getAttribute('data-frames-per-px'))).toBeCloseTo(360 / (25 * 4.5), 6);
  await expect(app.getByTestId('viewer-rhythm')).toHaveText('Normal sinus rhythm');
  await app.screenshot({ path: testInfo.outputPath('record100-start.png'), fullPage: true });

  // The one PVC of record 100 with one key (the beat class defaults to V).
  await paper.focus();
  await app.keyboard.press('n');
  await expect(app.getByTestId('viewer-message')).toHaveText(/^V beat at 00:\d\d:\d\d\.\d{3}\.$/);
  await expect(paper).toHaveAttribute('data-beats', /:V(,|$)/);
  await app.screenshot({ path: testInfo.outputPath('record100-pvc.png'), fullPage: true });

  // Go to 00:25:18; reload keeps the position (it is in the URL).
  await app.getByLabel('Go to time (hh:mm:ss)').fill('00:25:18');
  await app.getByLabel('Go to time (hh:mm:ss)').press('Enter');
  await expect(app.getByTestId('viewer-position')).toHaveText(/^00:25:18–/);
  await expect(app).toHaveURL(/t=1518/);
  await app.reload();
  await expect(app.getByTestId('viewer-position')).toHaveText(/^00:25:18–/);
  await expect(paper).toHaveAttribute('data-loaded', 'yes');
  // The window's beat annotations can land a frame after its samples: wait for the four used below.
  await expect(paper).toHaveAttribute('data-beats', /^(?:[^,]+,){3,}[^,]+$/);

  // A caliper dragged from near one R peak to near the next snaps to both and reads the rate.
  const beats = (await paper.getAttribute('data-beats'))!.split(',').map((b) => Number(b.split(':')[0]));
  const start = Number(await paper.getAttribute('data-start-frame'));
  const fpp = Number(await paper.getAttribute('data-frames-per-px'));
  const tx = Number(await paper.getAttribute('data-trace-x'));
  const box = (await paper.boundingBox())!;
  const xOf = (s: number): number => box.x + tx + (s - start) / fpp;
  const y = box.y + 80;
  await app.keyboard.press('c');
  await app.mouse.move(xOf(beats[2]!) + 5, y);
  await app.mouse.down();
  await app.mouse.move(xOf(beats[3]!) - 4, y, { steps: 5 });
  await app.mouse.up();
  const text = await app.getByTestId('caliper-list').textContent();
  const m = /Δt (\d+) ms · (\d+) bpm/.exec(text ?? '');
  expect(m).not.toBeNull();
  const rr = ((beats[3]! - beats[2]!) / 360) * 1000;
  expect(Math.abs(Number(m![1]) - rr)).toBeLessThanOrEqual(1); // snapped onto both R peaks
  expect(Number(m![2])).toBeGreaterThan(50);
  expect(Number(m![2])).toBeLessThan(110);
  await app.mouse.move(xOf(beats[4]!), y);
  await expect(app.getByTestId('hover-info')).toContainText(/RR \d+ ms · \d+ bpm/);
  await app.screenshot({ path: testInfo.outputPath('record100-caliper.png'), fullPage: true });

  // Zoomed out with the '-' key to about 40 s a page: time scale follows, labels thin to ticks.
  const frames10 = Number(await paper.getAttribute('data-frames'));
  await paper.focus();
  await app.keyboard.press('Escape');
  for (let i = 0; i < 6; i++) {
    const before = await paper.getAttribute('data-frames');
    await app.keyboard.press('-');
    await expect(paper).not.toHaveAttribute('data-frames', before!);
  }
  await expect(app.getByLabel('Speed')).toHaveValue('');
  await expect(paper).toHaveAttribute('data-loaded', 'yes');
  const frames40 = Number(await paper.getAttribute('data-frames'));
  // (the speed is kept to 0.01 mm/s in the URL, hence the tolerance)
  expect(Math.abs((frames40 / frames10) * 0.8 ** 6 - 1)).toBeLessThan(0.03);
  await app.screenshot({ path: testInfo.outputPath('record100-zoomed-out.png'), fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('the PTB record as a 12-lead sheet (3×4 + rhythm II), Frank leads on request, one strip per lead', async ({ app, consoleErrors }, testInfo) => {
  await app.setViewportSize({ width: 1500, height: 1000 });
  await app.getByRole('link', { name: 'Records' }).click();
  await app.getByRole('button', { name: 'Import sample records' }).click();
  await expect(app.getByTestId('job-state')).toHaveText('succeeded', { timeout: 30_000 });
  const paper = await openRecord(app, 's0010_re');
  await expect(paper).toHaveAttribute('data-layout', '12');
  await expect(paper).toHaveAttribute('data-panels', 'I,aVR,V1,V4,II,aVL,V2,V5,III,aVF,V3,V6,II');
  await expect(paper).toHaveAttribute('data-loaded', 'yes');
  await app.screenshot({ path: testInfo.outputPath('ptb-12lead.png'), fullPage: true });
  // URL-driven controls update after the router's transition: click, then wait for the state.
  await app.getByLabel('Frank leads (vx, vy, vz)').click();
  await expect(app.getByLabel('Frank leads (vx, vy, vz)')).toBeChecked();
  await expect(paper).toHaveAttribute('data-panels', 'I,aVR,V1,V4,II,aVL,V2,V5,III,aVF,V3,V6,II,Vx,Vy,Vz');
  await app.getByLabel('Layout').selectOption('strips');
  await expect(paper).toHaveAttribute('data-panels', 'I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6,Vx,Vy,Vz');
  await expect(paper).toHaveAttribute('data-loaded', 'yes');
  await app.setViewportSize({ width: 1500, height: 2400 }); // 15 strips: room to see them all
  await app.screenshot({ path: testInfo.outputPath('ptb-strips.png') });
  expect(consoleErrors).toEqual([]);
});
