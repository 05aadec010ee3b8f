// The record list in browser mode: filter, search, sort, keyboard, upload and typed-path help.
import { test as shared, expect, serverFixture, type Server } from './fixtures.ts';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Locator, Page, TestInfo } from '@playwright/test';

// A server of its own: these tests fill the catalog, which other specs expect to start empty.
const test = shared.extend<object, { server: Server }>({ server: serverFixture });
test.use({ viewport: { width: 1366, height: 1000 } });

const ROOT = join(import.meta.dirname, '..', '..');
const MITDB = join(ROOT, '..', 'shared', 'data', 'mitdb');
const SAMPLES = join(ROOT, 'resources', 'samples');

async function importDone(app: Page): Promise<void> {
  await expect(app.getByTestId('job-state')).toHaveText('succeeded', { timeout: 60_000 });
}

async function shot(app: Page, testInfo: TestInfo, name: string): Promise<void> {
  await app.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

const table = (app: Page): Locator => app.getByTestId('records-table');
const bodyRows = (app: Page): Locator => table(app).locator('tbody tr');
const column = async (app: Page, index: number): Promise<string[]> => bodyRows(app).locator(`td:nth-child(${index + 1})`).allInnerTexts();

/** "1:02:03" or "30:05" → seconds. */
function seconds(text: string): number {
  return text.split(':').map(Number).reduce((acc, v) => acc * 60 + v, 0);
}

test('filter, search and sort the record list; same-named records told apart by folder; rows open by keyboard', async ({ app, consoleErrors }, testInfo) => {
  await app.getByRole('link', { name: 'Records' }).click();
  await app.getByRole('button', { name: 'Import sample records' }).click();
  await importDone(app);
  await app.getByLabel('Files or folders to import').fill(['100', '201', '232'].map((r) => join(MITDB, `${r}.hea`)).join('; '));
  await app.getByRole('button', { name: 'Import', exact: true }).click();
  await importDone(app);
  await expect(bodyRows(app)).toHaveCount(5);
  await expect(app.getByTestId('records-count')).toHaveText('Showing 1–5 of 5 records');

  // Record 100 twice: the bundled sample and the MIT-BIH copy, told apart by their folders.
  const named100 = bodyRows(app).filter({ has: app.locator('td.name', { hasText: /^100$/ }) });
  await expect(named100).toHaveCount(2);
  expect((await named100.locator('td:nth-child(2)').allInnerTexts()).sort()).toEqual(['mitdb', 'samples']);
  await shot(app, testInfo, 'record-list-all');

  // Search by name.
  await app.getByLabel('Search records').fill('201');
  await expect(bodyRows(app)).toHaveCount(1);
  await expect(bodyRows(app).first().locator('td.name')).toHaveText('201');
  await expect(app.getByTestId('records-count')).toHaveText('Showing 1–1 of 1 record (5 in all)');
  await app.getByLabel('Search records').fill('');

  // Filter by beat class: every row left has V beats; the PTB record (detector beats only) is gone.
  await app.getByLabel('Has beats of class').selectOption('V');
  const vCounts = (await column(app, 7)).map(Number);
  expect(vCounts.length).toBeGreaterThan(0);
  expect(vCounts.every((v) => v > 0)).toBe(true);
  await expect(table(app)).not.toContainText('s0010_re');
  await app.getByLabel('Has beats of class').selectOption('');

  // Filter by rhythm: atrial fibrillation is present in 201 only.
  await app.getByLabel('Rhythm').selectOption({ label: 'Atrial fibrillation (1)' });
  expect(await column(app, 0)).toEqual(['201']);
  await expect(bodyRows(app).first()).toContainText('AFIB');
  await shot(app, testInfo, 'record-list-rhythm-filter');
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await expect(bodyRows(app)).toHaveCount(5);

  // Sort by duration, both ways; the header says so with aria-sort.
  const durationHeader = table(app).getByRole('columnheader', { name: /Duration/ });
  await durationHeader.getByRole('button').click();
  await expect(durationHeader).toHaveAttribute('aria-sort', 'ascending');
  const up = (await column(app, 3)).map(seconds);
  expect(up).toEqual([...up].sort((a, b) => a - b));
  expect(up[0]).toBeLessThan(up[4]!);
  await expect(bodyRows(app).first().locator('td.name')).toHaveText('s0010_re');
  await durationHeader.getByRole('button').click();
  await expect(durationHeader).toHaveAttribute('aria-sort', 'descending');
  const down = (await column(app, 3)).map(seconds);
  expect(down).toEqual([...up].reverse());
  await expect(table(app).getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'none');
  await shot(app, testInfo, 'record-list-sorted');

  // Keyboard: one tab stop in the body, arrows move, Enter opens the record at /records/<id>.
  await bodyRows(app).first().focus();
  await app.keyboard.press('ArrowDown');
  const second = bodyRows(app).nth(1);
  await expect(second).toBeFocused();
  const id = await second.getAttribute('data-record-id');
  const name = await second.locator('td.name').innerText();
  await app.keyboard.press('Enter');
  await expect(app).toHaveURL(new RegExp(`#/records/${id}$`));
  await expect(app.getByTestId('record-viewer')).toContainText(name);
  await shot(app, testInfo, 'record-list-opened');
  // Back to the list, as it was left.
  await app.goBack();
  await expect(bodyRows(app).nth(1)).toHaveAttribute('data-record-id', id!);
  // A small laptop window: the table scrolls sideways inside its panel rather than squeezing the page.
  await app.setViewportSize({ width: 1024, height: 700 });
  await expect(bodyRows(app).nth(1)).toBeVisible();
  await shot(app, testInfo, 'record-list-1024');
  expect(consoleErrors).toEqual([]);
});

test('upload record 100 through the file input and see it imported from its upload folder', async ({ app, consoleErrors }, testInfo) => {
  await app.getByRole('link', { name: 'Records' }).click();
  await app.getByLabel('Choose files…').setInputFiles(['100.hea', '100.dat', '100.atr'].map((f) => join(SAMPLES, f)));
  await importDone(app);
  // The server is shared by this file's tests, so other copies of 100 may be listed: take the uploaded one.
  const uploaded = app.locator('td:nth-child(2)', { hasText: /^upload \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/ });
  const row = bodyRows(app).filter({ has: app.locator('td.name', { hasText: /^100$/ }) }).filter({ has: uploaded });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('30:05');
  await expect(row.locator('td:nth-child(6)')).toHaveText('2239');
  await shot(app, testInfo, 'record-list-uploaded');
  expect(consoleErrors).toEqual([]);
});

test('a relative or missing typed path says what to type, and starts no import', async ({ app, consoleErrors }, testInfo) => {
  await app.getByRole('link', { name: 'Records' }).click();
  await app.getByLabel('Files or folders to import').fill('mitdb');
  await app.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(app.getByTestId('path-problems')).toContainText('"mitdb" is a relative path: type the full path, such as /');
  await app.getByLabel('Files or folders to import').fill('/x/y');
  await app.getByLabel('Files or folders to import').press('Enter');
  await expect(app.getByTestId('path-problems')).toHaveText('/x/y does not exist');
  await expect(app.getByTestId('job-progress')).toHaveCount(0);
  await shot(app, testInfo, 'import-path-help');
  expect(consoleErrors).toEqual([]);
});

test('drop a record with a stray signal file: the record is uploaded and imported, the stray file is named', async ({ app, consoleErrors }, testInfo) => {
  await app.getByRole('link', { name: 'Records' }).click();
  const files = ['201.hea', '201.dat', '201.atr', '203.dat'].map((name) => ({ name, data: readFileSync(join(MITDB, name)).toString('base64') }));
  const dataTransfer = await app.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name));
    return dt;
  }, files);
  await app.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
  await expect(app.getByTestId('path-problems')).toContainText('203.dat: no 203.hea');
  await importDone(app);
  const row = bodyRows(app).filter({ has: app.locator('td.name', { hasText: /^201$/ }) }).filter({ hasText: /upload \d{4}/ });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('AFIB');
  await shot(app, testInfo, 'record-list-dropped');
  expect(consoleErrors).toEqual([]);
});
