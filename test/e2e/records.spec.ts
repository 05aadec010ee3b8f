import { test, expect } from './fixtures.ts';
import { join } from 'node:path';

test('import the bundled samples, see the catalog, open record 100 and page through its beats', async ({ app, consoleErrors }) => {
  await app.getByRole('link', { name: 'Records' }).click();
  await expect(app.getByText('No records imported')).toBeVisible();
  await app.getByRole('button', { name: 'Import sample records' }).click();
  await expect(app.getByTestId('job-state')).toHaveText('succeeded', { timeout: 30_000 });
  const row100 = app.getByTestId('records-table').getByRole('row').filter({ hasText: /^100/ });
  await expect(row100).toContainText('30:05');
  await expect(row100).toContainText('MLII, V5');
  await expect(row100.getByRole('cell').nth(5)).toHaveText('2239');
  await expect(row100.getByRole('cell').nth(6)).toHaveText('33');
  await expect(row100.getByRole('cell').nth(7)).toHaveText('1');
  await expect(app.getByTestId('records-table')).toContainText('s0010_re');

  // The viewer opens on its own route, the record in the URL.
  await row100.click();
  await expect(app).toHaveURL(/#\/records\/\d+/);
  const paper = app.getByTestId('ecg-paper');
  await expect(paper).toHaveAttribute('data-loaded', 'yes');
  // A page at 25 mm/s holds several seconds of record 100, about 1.2 beats per second.
  const frames = Number(await paper.getAttribute('data-frames'));
  const beats = Number((await app.getByTestId('viewer-beats').textContent())!.split(' ')[0]);
  expect(Math.abs(beats - (frames / 360) * 1.25)).toBeLessThan(3);
  await app.getByRole('button', { name: 'Next page' }).click();
  await expect(paper).toHaveAttribute('data-start-frame', String(frames));
  await expect(app.getByTestId('viewer-position')).toContainText(/^00:00:\d\d–00:00:\d\d/);
  // Leads can be hidden and shown; the window is re-read with the chosen leads.
  await expect(paper).toHaveAttribute('data-leads', 'MLII,V5');
  // The lead set lives in the URL: the box changes after the router's transition.
  await app.getByRole('group', { name: 'Leads shown' }).getByLabel('V5').click();
  await expect(paper).toHaveAttribute('data-leads', 'MLII');
  await app.getByRole('group', { name: 'Leads shown' }).getByLabel('V5').click();
  await expect(paper).toHaveAttribute('data-leads', 'MLII,V5');
  expect(consoleErrors).toEqual([]);
});

test('a file that cannot be imported is reported by name and the rest still import', async ({ app, consoleErrors }) => {
  await app.getByRole('link', { name: 'Records' }).click();
  const data = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'wfdb');
  await app.getByLabel('Files or folders to import').fill(`${join(data, '1003.hea')}; ${join(data, 'v102s.hea')}`);
  await app.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(app.getByTestId('job-state')).toHaveText('succeeded', { timeout: 30_000 });
  await expect(app.getByTestId('import-failures')).toContainText('1003.hea: signal file 1003.dat is missing');
  await expect(app.getByTestId('records-table')).toContainText('v102s');
  expect(consoleErrors).toEqual([]);
});
