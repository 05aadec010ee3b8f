// Classifying a record in the app: a server whose shipped-models folder (ECGATK_MODELS_DIR) holds a
// small saved ATK-GAN discriminator; classify the bundled record 100 and see the predicted row.
import { test as shared, expect, modelsServerFixture, type Server } from './fixtures.ts';

const test = shared.extend<object, { server: Server }>({ server: modelsServerFixture([]) });

test('classify record 100: predicted labels beside the reference, summary, m to the next mismatch, shown again on reopening', async ({ app, consoleErrors }, testInfo) => {
  test.setTimeout(120_000);
  await app.setViewportSize({ width: 1500, height: 950 });
  await app.getByRole('link', { name: 'Records' }).click();
  await app.getByRole('button', { name: 'Import sample records' }).click();
  await expect(app.getByTestId('job-state')).toHaveText('succeeded', { timeout: 30_000 });
  await app.getByTestId('records-table').getByRole('row').filter({ hasText: /^100/ }).click();
  const paper = app.getByTestId('ecg-paper');
  await expect(paper).toHaveAttribute('data-loaded', 'yes');
  await expect(paper).toHaveAttribute('data-predicted', '');

  const panel = app.getByTestId('classify-panel');
  await expect(panel.getByLabel('Model')).toContainText('default (atk-gan-e2e-random)');
  await panel.getByRole('button', { name: 'Classify record' }).click();
  await expect(panel.getByTestId('classify-summary')).toBeVisible({ timeout: 90_000 });
  await expect(panel.getByTestId('classify-summary')).toContainText(/\d+ beats by atk-gan-e2e-random/);

  // Every labelled beat in view now has a predicted class at the same sample.
  await expect(paper).not.toHaveAttribute('data-predicted', '');
  const beats = (await paper.getAttribute('data-beats'))!.split(',').map((b) => Number(b.split(':')[0]));
  const predicted = (await paper.getAttribute('data-predicted'))!.split(',').map((b) => b.split(':'));
  expect(predicted.map(([s]) => Number(s))).toEqual(beats);
  for (const [, c] of predicted) expect(['N', 'S', 'V', 'F']).toContain(c);
  // The confusion table counts every scored beat of the record.
  const cells = await panel.getByRole('table').locator('tbody td').allTextContents();
  expect(cells.length).toBe(16);
  expect(cells.map(Number).reduce((a, b) => a + b, 0)).toBeGreaterThan(2000);
  await testInfo.attach('classified', { body: await app.screenshot(), contentType: 'image/png' });
  await app.screenshot({ path: testInfo.outputPath('classified.png') });

  // m: the next mismatch (or a message that there is none).
  const before = await paper.getAttribute('data-start-frame');
  // The keys belong to the paper's scroll area (focus is still on the Classify button).
  await app.getByLabel(/^ECG paper: arrow keys/).focus();
  await app.keyboard.press('m');
  await expect(app.getByTestId('viewer-message')).toHaveText(/Mismatch at|No mismatches: every prediction agrees/);
  if ((await app.getByTestId('viewer-message').textContent())!.startsWith('Mismatch')) await expect(paper).not.toHaveAttribute('data-start-frame', before!);

  // Stored: reopening the record shows the predictions at once.
  await app.reload();
  await expect(app.getByTestId('ecg-paper')).toHaveAttribute('data-loaded', 'yes');
  await expect(app.getByTestId('classify-summary')).toBeVisible();
  await expect(app.getByTestId('ecg-paper')).not.toHaveAttribute('data-predicted', '');
  expect(consoleErrors).toEqual([]);
});
