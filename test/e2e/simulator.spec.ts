// The Attack simulator: a server whose models folder holds a small ATK-GAN discriminator and a plain
// D-CNN (initial weights); import record 100, pick a beat from the viewer, run FGSM and PGD on it,
// see the overlay and the numbers, compare with the D-CNN, save the case, reopen it, export a PNG.
import { statSync } from 'node:fs';
import { test as shared, expect, modelsServerFixture, type Server } from './fixtures.ts';

const test = shared.extend<object, { server: Server }>({ server: modelsServerFixture([], ['dcnn-e2e-baseline', 'dcnn', '5']) });

test('FGSM and PGD on a beat of record 100: overlay, numbers, side by side, saved case reopened, PNG export', async ({ app, consoleErrors }, testInfo) => {
  test.setTimeout(180_000);
  await app.setViewportSize({ width: 1500, height: 1000 });
  await app.getByRole('link', { name: 'Records' }).click();
  await app.getByRole('button', { name: 'Import sample records' }).click();
  await expect(app.getByTestId('job-state')).toHaveText('succeeded', { timeout: 30_000 });

  // From the viewer: jump to the V beat with n (keyboard), then "Attack this beat".
  await app.getByTestId('records-table').getByRole('row').filter({ hasText: /^100/ }).click();
  const paper = app.getByTestId('ecg-paper');
  await expect(paper).toHaveAttribute('data-loaded', 'yes');
  // A click on a beat selects it.
  const [first] = (await paper.getAttribute('data-beats'))!.split(',').map((b) => Number(b.split(':')[0]));
  const at = async (name: string): Promise<number> => Number(await paper.getAttribute(name));
  const box = (await paper.boundingBox())!;
  await paper.click({ position: { x: (await at('data-trace-x')) + (first! - (await at('data-start-frame'))) / (await at('data-frames-per-px')), y: box.height / 4 } });
  await expect(paper).toHaveAttribute('data-selected-beat', String(first));
  await expect(app.getByTestId('selected-beat')).toContainText(`sample ${first}`);
  await app.getByLabel(/^ECG paper: arrow keys/).focus();
  await app.keyboard.press('n');
  await expect(app.getByTestId('selected-beat')).toContainText('V beat');
  const vBeat = await paper.getAttribute('data-selected-beat');
  await app.getByRole('link', { name: 'Attack this beat' }).click();
  await expect(app.getByRole('heading', { name: 'Attack simulator' })).toBeVisible();
  await expect(app.getByTestId('beat-select')).toHaveValue(vBeat!);
  await expect(app.getByTestId('beat-select').locator('option:checked')).toContainText('V');

  // FGSM at ε = 0.02; ε is shown in mV for this beat.
  await app.getByLabel('Attack', { exact: true }).selectOption('fgsm');
  await app.getByLabel('eps', { exact: true }).fill('0.02');
  await expect(app.getByTestId('eps-mv')).toContainText(/ε = [\d.]+ mV for this beat/);
  await app.getByRole('button', { name: 'Run attack' }).click();
  const result = app.getByTestId('attack-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(app.getByTestId('job-state')).toHaveText('succeeded');
  await expect(result.getByTestId('attack-paper')).toHaveAttribute('data-samples', '280');
  const numbers = result.getByTestId('attack-numbers');
  await expect(numbers.getByTestId('attack-verdict')).toHaveText(/Prediction (changed: [NSVF] → [NSVF]|unchanged: [NSVF]) \(reference V\)/);
  const linf = Number(await numbers.getByTestId('linf').textContent().then((t) => t!.split(' ')[0]));
  expect(linf).toBeGreaterThan(0.01);
  expect(linf).toBeLessThanOrEqual(0.02);
  await expect(numbers.getByTestId('linf')).toContainText('mV');
  await expect(numbers.getByTestId('snr')).toHaveText(/^-?[\d.]+ dB$/);
  await expect(numbers.getByTestId('attacked-after')).toHaveText(/^\d+\.\d%( flagged)?$/);
  await expect(numbers.getByTestId('queries')).toContainText('gradient attack');
  // The overlay really holds a blue and a red trace.
  const inks = await result.getByTestId('attack-paper').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let blue = 0;
    let red = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i]! < 60 && d[i + 1]! < 130 && d[i + 2]! > 160) blue++;
      if (d[i]! > 170 && d[i + 1]! < 80 && d[i + 2]! < 80) red++;
    }
    return { blue, red };
  });
  expect(inks.blue).toBeGreaterThan(50);
  expect(inks.red).toBeGreaterThan(50);

  // PGD with the paper preset, side by side with the D-CNN baseline.
  await app.getByLabel('Attack', { exact: true }).selectOption('pgd');
  await app.getByLabel('eps', { exact: true }).fill('0.02');
  await app.getByRole('button', { name: 'Paper preset' }).click();
  await expect(app.getByLabel('steps', { exact: true })).toHaveValue('10');
  await app.getByLabel('Compare with').selectOption('dcnn-e2e-baseline');
  await app.getByRole('button', { name: 'Run attack' }).click();
  await expect(result.getByRole('heading', { name: /^pgd on beat/ })).toBeVisible({ timeout: 90_000 });
  await expect(result.getByTestId('attack-paper')).toHaveCount(2);
  await expect(result.getByTestId('attack-numbers').nth(1)).toHaveAttribute('data-model', 'dcnn-e2e-baseline');
  await expect(result.getByTestId('attack-numbers').nth(1).getByTestId('attacked-after')).toHaveText('n/a');
  await app.screenshot({ path: testInfo.outputPath('simulator-form.png') });
  await result.screenshot({ path: testInfo.outputPath('simulator-pgd.png') });

  // A bad parameter is refused naming it, before anything runs.
  await app.getByLabel('alpha', { exact: true }).fill('0');
  await app.getByRole('button', { name: 'Run attack' }).click();
  await expect(app.getByTestId('attack-error')).toHaveText('alpha: must be > 0');

  // Save, reopen from the list, export.
  await result.getByLabel('Case name').fill('pgd V beat');
  await result.getByRole('button', { name: 'Save case' }).click();
  await expect(result.getByTestId('save-message')).toContainText('Saved as case');
  await expect(app.getByTestId('case-list')).toContainText('pgd V beat');
  await app.reload();
  await expect(app.getByTestId('case-list')).toContainText('pgd V beat');
  await app.getByRole('button', { name: 'Open case pgd V beat' }).click();
  await expect(app.getByTestId('attack-result')).toContainText('case "pgd V beat"');
  await expect(app.getByTestId('attack-paper')).toHaveCount(2);
  await expect(app.getByLabel('alpha', { exact: true })).not.toHaveValue('0');
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export PNG' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('pgd_V_beat.png');
  const saved = testInfo.outputPath('export.png');
  await file.saveAs(saved);
  expect(statSync(saved).size).toBeGreaterThan(10_000);
  expect(consoleErrors).toEqual([]);
});
