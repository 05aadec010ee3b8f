// The Reports screen against a real server: a small ATK-GAN discriminator (initial weights) made to
// fit an imported 128-sample N/V heartbeat CSV; an audit started from the form (the paper suite on
// a handful of beats at one ε) is followed to `succeeded`, its report shows the robust-accuracy
// table and the charts, and exports a self-contained HTML page and a PDF.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attackLabel, presetSuite } from '../../src-shared/contract/attacks.ts';
import type { Locator } from '@playwright/test';
import { test as shared, expect, modelsServerFixture, type Server } from './fixtures.ts';
import { heartbeatCsv, importCsvDataset } from './heartbeats.ts';

const MODEL = 'atk-gan-e2e-beats';
const LENGTH = 128;
const CLASSES = ['N', 'V'];
const BEATS = 6;
const EPS = [0.01, 0.02];

// The model must fit the dataset: same beat length, sampling rate (the CSV import's 125 Hz) and classes.
const test = shared.extend<object, { server: Server }>({ server: modelsServerFixture([MODEL, 'atk-gan-d', '3', String(LENGTH), '125', CLASSES.join(',')]) });

/** Coloured pixels of a chart's canvas below its legend: the plotted series (axes, grid and text are grey). */
async function inkOf(chart: Locator): Promise<number> {
  return chart.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
    // Below the legend (at most a few rows at the top); a curve at 50 % runs through the middle.
    const top = Math.floor(c.height * 0.3);
    const d = c.getContext('2d')!.getImageData(0, top, c.width, c.height - top).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 128 && Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 80) ink++;
    return ink;
  });
}

test('an audit started from the Reports form runs to succeeded; its report shows the robust-accuracy table and charts and exports HTML and PDF', async ({ app, consoleErrors }, testInfo) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'ecgatk-reports-e2e-'));
  try {
    const csv = join(dir, 'beats.csv');
    writeFileSync(csv, heartbeatCsv(60, LENGTH));
    expect(await importCsvDataset(app, 'e2e-nv-beats', csv, CLASSES)).toBe('succeeded');

    await app.setViewportSize({ width: 1400, height: 1000 });
    await app.getByRole('link', { name: 'Reports', exact: true }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Robustness reports' })).toBeVisible();
    await expect(app.getByText('No reports yet')).toBeVisible();

    // The paper suite (ten attacks with the detector-aware λ = 0, 1, 10) on a few beats at two ε.
    const form = app.getByRole('form', { name: 'Start an audit' });
    await form.getByRole('checkbox', { name: new RegExp(MODEL) }).check();
    await expect(form.getByLabel('Dataset (test split)').locator('option:checked')).toContainText('e2e-nv-beats');
    await expect(form.getByLabel('Attack suite')).toHaveValue('paper');
    await form.getByLabel(/^ε values/).fill(EPS.join(', '));
    await form.getByLabel(/^Beats/).fill(String(BEATS));
    await form.getByRole('button', { name: 'Start audit' }).click();

    const suite = presetSuite('paper', EPS[0]!);
    const cellsTotal = suite.length * EPS.length;
    const state = app.getByTestId('job-state');
    await expect(state).toHaveText(/queued|running|succeeded/);
    const row = app.getByTestId('audit-list').locator('tbody tr');
    await expect(row).toHaveCount(1);
    await expect(state).toHaveText('succeeded', { timeout: 240_000 });
    await expect(row).toHaveAttribute('data-status', 'succeeded');
    await expect(row).toContainText(`${cellsTotal} / ${cellsTotal}`);
    await expect(row.locator('td.num')).toHaveText(String(BEATS));
    await app.getByRole('link', { name: 'Open the report' }).click();

    // The report: its subtitle, key figures, one row per attack on the audited beats, the charts.
    await expect(app.getByRole('heading', { level: 1, name: /^Robustness report/ })).toBeVisible();
    await expect(app.getByTestId('report-subtitle')).toContainText(`${MODEL} on e2e-nv-beats`);
    await expect(app.getByTestId('report-subtitle')).toContainText(`${BEATS} test beats`);
    await expect(app.getByTestId('key-figures').locator('tbody tr')).toHaveCount(1);
    await expect(app.getByTestId('key-figures').locator('tbody tr')).toContainText(/\d+\.\d%/);
    const rows = app.getByTestId('robust-table').locator('tbody tr');
    await expect(rows).toHaveCount(cellsTotal);
    // Filtered to one ε: a row per attack of the suite, in its order, each on the audited beats.
    await app.getByTestId('report-cells').getByLabel('ε').selectOption(String(EPS[1]));
    await expect(rows).toHaveCount(suite.length);
    await expect(rows.locator('td:nth-child(2)')).toHaveText(suite.map(attackLabel));
    for (let i = 0; i < suite.length; i++) {
      const cells = rows.nth(i).locator('td');
      await expect(cells.nth(0)).toHaveText(MODEL);
      await expect(cells.nth(2)).toHaveText(String(EPS[1]));
      await expect(cells.nth(3)).toHaveText(String(BEATS));
      await expect(cells.nth(5)).toHaveText(/^\d+\.\d%/);
    }
    // So few beats make every figure a rough estimate, which the report says.
    await expect(app.getByTestId('report-caveat')).toContainText(`as few as ${BEATS}`);
    // The detector head of an ATK-GAN model gives the detection table a row per attack too.
    await expect(app.getByTestId('detection-table').locator('tbody tr')).toHaveCount(suite.length);
    for (const id of [`curve-${MODEL}`, 'curve-worst']) {
      const chart = app.getByTestId(id);
      await expect(chart.locator('canvas')).not.toHaveCount(0);
      await expect.poll(() => inkOf(chart)).toBeGreaterThan(200);
    }
    await app.getByTestId('report-curves').screenshot({ path: testInfo.outputPath('report-curves.png') });
    await app.setViewportSize({ width: 1400, height: 2600 });
    await app.screenshot({ path: testInfo.outputPath('report.png') });

    // HTML: one self-contained page (inline CSS and SVG charts, nothing fetched, no script).
    const done = app.getByTestId('export-done');
    await app.getByRole('button', { name: 'Export HTML' }).click();
    await expect(done).toHaveText(/^HTML written to .+\.html \(\d+\.\d kB\)$/, { timeout: 60_000 });
    const htmlPath = /^HTML written to (.+) \(/.exec((await done.textContent())!)![1]!;
    const html = readFileSync(htmlPath, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(MODEL);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link\b|\bsrc="(?!data:)/i);
    for (const spec of suite) expect(html).toContain(attackLabel(spec));

    // PDF: printed by Chromium, where there is one.
    if (existsSync('/usr/bin/chromium')) {
      await app.getByRole('button', { name: 'Export PDF' }).click();
      await expect(done).toHaveText(/^PDF written to .+\.pdf \(\d+\.\d kB\)$/, { timeout: 120_000 });
      const pdfPath = /^PDF written to (.+) \(/.exec((await done.textContent())!)![1]!;
      expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(statSync(pdfPath).size).toBeGreaterThan(10_000);
    }
    await expect(app.getByTestId('export-error')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
