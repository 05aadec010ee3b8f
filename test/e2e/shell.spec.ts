import { test, expect } from './fixtures.ts';

const ROUTES = [
  { link: 'Records', path: '#/records', heading: 'Records' },
  { link: 'Attack simulator', path: '#/attack', heading: 'Attack simulator' },
  { link: 'Training', path: '#/training', heading: 'Training' },
  { link: 'Reports', path: '#/reports', heading: 'Robustness reports' },
  { link: 'Jobs', path: '#/jobs', heading: 'Jobs' },
  { link: 'Settings', path: '#/settings', heading: 'Settings' },
];

test('every route loads, the status bar names the backend, and nothing logs an error', async ({ app, consoleErrors }) => {
  await expect(app.getByTestId('status-backend')).toHaveText('wasm');
  await expect(app.getByTestId('status-db')).toContainText('ecgatk.sqlite');
  // The token left the address bar once it was read.
  expect(app.url()).not.toContain('token=');
  for (const r of ROUTES) {
    await app.getByRole('link', { name: r.link, exact: true }).click();
    await expect(app).toHaveURL(new RegExp(`${r.path.replace('#', '#')}$`));
    await expect(app.getByRole('heading', { level: 1, name: r.heading })).toBeVisible();
  }
  expect(consoleErrors).toEqual([]);
});

test('routes survive a reload (token kept for the tab)', async ({ app, consoleErrors }) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.reload();
  await expect(app.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(app.getByTestId('status-backend')).toHaveText('wasm');
  expect(consoleErrors).toEqual([]);
});

test('without the token the app says how to connect instead of a blank page', async ({ page, server }) => {
  await page.goto(server.origin + '/');
  await expect(page.getByRole('alert')).toContainText('#token=');
});

test('settings: backend shown, self-test trains with live progress, preferences persist, audit verifies', async ({ app, consoleErrors }) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  await expect(app.getByTestId('settings-backend')).toContainText('wasm with SIMD');
  await app.getByRole('button', { name: 'Run backend self-test' }).click();
  await expect(app.getByTestId('job-state')).toHaveText('succeeded', { timeout: 30_000 });
  await expect(app.getByTestId('selftest-result')).toContainText('Training works on wasm');
  await expect(app.getByTestId('selftest-chart')).toBeVisible();

  await app.getByLabel('Default beat length (samples)').fill('187');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByRole('status')).toContainText('Saved');
  await app.reload();
  await expect(app.getByLabel('Default beat length (samples)')).toHaveValue('187');

  await app.getByRole('button', { name: 'Verify audit log' }).click();
  await expect(app.getByTestId('audit-result')).toHaveText(/^Intact: [1-9]\d* entries verified\.$/);
  expect(consoleErrors).toEqual([]);
});
