// The Training screen: a field the API rejects is named beside the form; a Kachuee run started
// from the form shows progress and a live loss chart, succeeds, and appears in the history with
// its accuracy and per-epoch metrics; a cancelled run is resumed from the history to the end;
// a finished run's model (registered when it finishes) is promoted to the default from its run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as shared, expect, serverFixture, type Server } from './fixtures.ts';
import { heartbeatCsv, importCsvDataset } from './heartbeats.ts';

// A server of its own: this test adds a dataset and a run, which other specs expect absent.
const test = shared.extend<object, { server: Server }>({ server: serverFixture });

test('a Kachuee run started from the form trains live, succeeds, is listed with its accuracy, resumes after cancel and can become the default', async ({ app, server, consoleErrors }, testInfo) => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'ecgatk-train-e2e-'));
  try {
    const csv = join(dir, 'beats.csv');
    writeFileSync(csv, heartbeatCsv(80, 128));
    // The dataset comes through the same API the screens use, not through this screen.
    const state = await importCsvDataset(app, 'e2e-beats', csv, ['normal', 'abnormal']);
    expect(state).toBe('succeeded');

    await app.getByRole('link', { name: 'Training', exact: true }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Training' })).toBeVisible();
    await expect(app.getByText('No training runs yet')).toBeVisible();
    const dataset = app.getByLabel('Dataset');
    await expect(dataset.locator('option', { hasText: 'e2e-beats' })).toHaveCount(1);
    await expect(dataset.locator('option', { hasText: 'e2e-beats' })).toContainText('80 beats, normal/abnormal');

    await app.getByLabel('Model').selectOption('kachuee');
    // ε applies only to the models that craft attacks.
    await expect(app.getByLabel(/Attack ε/)).toHaveCount(0);
    await app.getByLabel('Model').selectOption('atk-gan');
    await expect(app.getByLabel(/Attack ε/)).toBeVisible();
    await app.getByLabel('Model').selectOption('kachuee');

    // The API's validation names the field; the form shows it beside that field.
    await app.getByLabel('Epochs').fill('0');
    await app.getByRole('button', { name: 'Start training' }).click();
    const epochsError = app.locator('#train-epochs-error');
    await expect(epochsError).toBeVisible();
    await expect(app.getByLabel('Epochs')).toHaveAttribute('aria-describedby', 'train-epochs-error');
    await expect(app.locator('.field-error')).toHaveCount(1);

    await app.getByLabel('Epochs').fill('2');
    await app.getByLabel('Batch size').fill('8');
    await app.getByLabel('Seed').fill('7');
    await app.getByLabel('Keep the weights best on').selectOption('macro-f1');
    await app.getByLabel(/Also validate every N steps/).fill('3');
    await app.getByRole('button', { name: 'Start training' }).click();
    await expect(epochsError).toHaveCount(0);

    // Live: progress, epoch, a loss chart with its text alternative.
    await expect(app.getByTestId('train-state')).toHaveText(/queued|running|succeeded/);
    await expect(app.getByTestId('train-loss-chart').locator('canvas')).toHaveCount(1);
    await expect(app.getByTestId('train-loss-chart-caption')).toContainText(/Loss per head at step \d+: [\w.]+ \d\.\d+(e-\d+)?/, { timeout: 60_000 });
    await expect(app.getByTestId('train-epoch')).toHaveText(/^[12] \/ 2$/);
    await app.screenshot({ path: testInfo.outputPath('training-live.png'), fullPage: true });
    await expect(app.getByTestId('train-state')).toHaveText('succeeded', { timeout: 180_000 });
    await expect(app.getByTestId('train-progress')).toHaveText('100%');
    await expect(app.getByTestId('train-test-accuracy')).toHaveText(/^\d+\.\d%$/);
    await expect(app.getByTestId('train-accuracy-chart-caption')).toContainText('after epoch 2');

    // History: the run with its epochs and accuracies; keyboard selection shows its metrics.
    const row = app.getByTestId('training-runs').locator('tbody tr[data-status="succeeded"]');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('kachuee');
    await expect(row).toContainText('e2e-beats');
    await expect(row).toContainText('2 / 2');
    await expect(row.getByTestId('run-test-accuracy')).toHaveText(/^\d+\.\d%$/);
    await row.focus();
    await app.keyboard.press('Enter');
    await expect(row).toHaveAttribute('aria-selected', 'true');
    const detail = app.getByTestId('run-detail');
    await expect(detail.getByTestId('run-accuracy-chart').locator('canvas')).toHaveCount(1);
    await expect(detail.getByTestId('run-accuracy-chart-caption')).toContainText('after epoch 2');
    await expect(detail.getByTestId('run-loss-chart-caption')).toContainText(/[\w.]+ \d\.\d+(e-\d+)?/);
    // The finished run registered its model, which the screen offers to make the default.
    await expect(detail.getByRole('button', { name: /^Make kachuee-e2e-beats-[0-9a-f]{8} the default$/ })).toBeVisible();
    // The shell scrolls inside its content pane; a tall window shows the whole screen in one shot.
    await app.setViewportSize({ width: 1280, height: 1500 });
    await app.screenshot({ path: testInfo.outputPath('training-done.png'), fullPage: true });

    // Cancel checkpoints a run; after leaving and reopening the screen, the history resumes it to the end.
    await app.setViewportSize({ width: 1280, height: 800 });
    await app.getByLabel('Epochs').fill('40');
    await app.getByLabel('Keep the weights best on').selectOption('accuracy');
    await app.getByLabel(/Also validate every N steps/).fill('');
    await app.getByRole('button', { name: 'Start training' }).click();
    await expect(app.getByTestId('train-state')).toHaveText('running');
    await app.getByRole('button', { name: /^Cancel/ }).click();
    await expect(app.getByTestId('train-state')).toHaveText('cancelled', { timeout: 60_000 });
    await app.getByRole('link', { name: 'Jobs', exact: true }).click();
    await app.getByRole('link', { name: 'Training', exact: true }).click();
    await expect(app.getByText('No run in progress')).toBeVisible();
    const cancelled = app.getByTestId('training-runs').locator('tbody tr[data-status="cancelled"]');
    await expect(cancelled).toHaveCount(1);
    await expect(cancelled).toContainText(/\d+ \/ 40/);
    const runId = await cancelled.getAttribute('data-run-id');
    await cancelled.click();
    await app.getByTestId('run-detail').getByRole('button', { name: 'Resume this run' }).click();
    await expect(app.getByTestId('train-state')).toHaveText('running');
    // Reopening the screen mid-run follows the job again, its loss history reloaded from the run's epochs.
    await app.getByRole('link', { name: 'Jobs', exact: true }).click();
    await app.getByRole('link', { name: 'Training', exact: true }).click();
    await expect(app.getByTestId('train-state')).toHaveText('running');
    await expect(app.getByTestId('train-loss-chart-caption')).toContainText(/Loss per head at step \d+/);
    await expect(app.getByTestId('train-state')).toHaveText('succeeded', { timeout: 180_000 });
    const resumed = app.getByTestId('training-runs').locator(`tbody tr[data-run-id="${runId}"]`);
    await expect(resumed).toHaveAttribute('data-status', 'succeeded');
    await expect(resumed).toContainText('40 / 40');
    await expect(app.getByTestId('train-accuracy-chart-caption')).toContainText('after epoch 40');

    // The one 400 is the rejected epochs above; nothing else may log an error.
    expect(consoleErrors.filter((m) => !m.includes('status of 400'))).toEqual([]);
    expect(consoleErrors).toHaveLength(1);

    // A finished run registers its model (model-dataset-run), so each can be promoted to the default.
    const rows = app.getByTestId('training-runs').locator('tbody tr[data-status="succeeded"]');
    await expect(rows).toHaveCount(2);
    await rows.nth(1).click();
    const promote = app.getByRole('button', { name: /^Make kachuee-.+ the default$/ });
    const name = ((await promote.textContent()) ?? '').replace(/^Make /, '').replace(/ the default$/, '');
    await promote.click();
    await expect(app.getByTestId('run-detail')).toContainText(`${name} is the default model.`);
    // The first run validated inside its epochs too and kept its best point on macro-F1; its chart runs by step.
    await expect(app.getByTestId('run-kept')).toContainText(/^best on validation macro-F1: step \d+ \(epoch [12]\) of \d+ steps, accuracy \d+\.\d%, macro-F1 \d\.\d{3}$/);
    await expect(app.getByTestId('run-facts')).toContainText(/every 3 steps and at epoch ends/);
    await expect(app.getByTestId('run-facts')).toContainText('--select-by macro-f1 --validate-every 3');
    await rows.nth(0).click();
    await expect(app.getByRole('button', { name: /^Make kachuee-.+ the default$/ })).toBeVisible();
    // How the run was made, from its model's card.
    const facts = app.getByTestId('run-facts');
    await expect(facts).toContainText('ecgatk train --model kachuee');
    await expect(facts).toContainText('none: trained from scratch');
    await expect(facts).toContainText(/10\.0% of the train split, drawn with seed \d+/);
    await expect(app.getByTestId('run-kept')).toContainText(/^best on validation accuracy: epoch \d+ of \d+ steps/);
    await app.screenshot({ path: testInfo.outputPath('training-default.png') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
