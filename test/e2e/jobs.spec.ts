// The Jobs screen: persisted jobs with live state, cancel for a running compute job.
import { test as shared, expect, serverFixture, type Server } from './fixtures.ts';

// A server of its own: this test fills the catalog, which other specs expect to start empty.
const test = shared.extend<object, { server: Server }>({ server: serverFixture });

test('jobs list the import that just ran and a running compute job, which Cancel stops', async ({ app, consoleErrors }, testInfo) => {
  await app.getByRole('button', { name: 'Import sample records' }).click();
  await expect(app.getByTestId('job-state')).toHaveText('succeeded', { timeout: 30_000 });
  // A long self-test started through the same API the screens use.
  const jobId = await app.evaluate(async () => {
    const token = sessionStorage.getItem('ecgatk.token');
    const res = await fetch('/api/call/compute.selfTest', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ steps: 500 }) });
    return ((await res.json()) as { value: { jobId: string } }).value.jobId;
  });
  await app.getByRole('link', { name: 'Jobs', exact: true }).click();
  const table = app.getByTestId('jobs-table');
  await expect(table.locator('tr[data-state="succeeded"]', { hasText: 'records.import' })).toHaveCount(1);
  const row = table.locator(`tr[data-job-id="${jobId}"]`);
  await expect(row).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await app.screenshot({ path: testInfo.outputPath('jobs-running.png'), fullPage: true });
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toHaveAttribute('data-state', 'cancelled', { timeout: 30_000 });
  // A self-test is not resumable, so a cancelled one offers nothing.
  await expect(row.getByRole('button')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
