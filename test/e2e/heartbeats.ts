// A generated heartbeat-benchmark CSV, and its import as a dataset through the same API the
// screens use (so a spec's dataset does not depend on another screen).
import type { Page } from '@playwright/test';

/** Two separable beat shapes (a bump early or a dip late) with seeded noise; label 0 or 1 in the last column. */
export function heartbeatCsv(rows: number, length: number): string {
  let s = 12345;
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const label = r % 2;
    const centre = label === 0 ? length * 0.3 : length * 0.7;
    const sign = label === 0 ? 1 : -1;
    const values = Array.from({ length }, (_, i) => 0.5 + sign * 0.4 * Math.exp(-(((i - centre) / 6) ** 2)) + (rand() - 0.5) * 0.05);
    lines.push([...values.map((v) => v.toFixed(4)), label].join(','));
  }
  return lines.join('\n') + '\n';
}

/** Imports the CSV at `path` as dataset `name` (classes `labels`) and waits for its job: 'succeeded', or the state and error. */
export async function importCsvDataset(app: Page, name: string, path: string, labels: string[]): Promise<string> {
  return app.evaluate(
    async ({ name, path, labels }) => {
      const token = sessionStorage.getItem('ecgatk.token');
      const call = async (op: string, body: unknown): Promise<{ ok: boolean; value: unknown; error?: unknown }> =>
        (await fetch(`/api/call/${op}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{
          ok: boolean;
          value: unknown;
        }>;
      const started = await call('datasets.importCsv', { name, train: path, labels });
      if (!started.ok) return JSON.stringify(started.error);
      const { jobId } = started.value as { jobId: string };
      for (;;) {
        const j = (await call('jobs.get', { id: jobId })).value as { state: string; error: unknown };
        if (!['queued', 'running'].includes(j.state)) return j.state === 'succeeded' ? j.state : `${j.state} ${JSON.stringify(j.error)}`;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    { name, path, labels },
  );
}
