// The Reports screen's pieces rendered to static markup from a simulated audit: the report page
// shows the same figures as the HTML report, the list and the comparison show each audit's own
// numbers, and the start form sends what was typed (the API judges it).
import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import type { AuditSummary, DatasetSummary, ModelEntry } from '../../../src-shared/contract/index.ts';
import { ciText, fmtEps, pct } from '../../../src-shared/report.ts';
import { ReportView } from '../../../src-renderer/reports/ReportView.tsx';
import { AuditList } from '../../../src-renderer/reports/AuditList.tsx';
import { Compare } from '../../../src-renderer/reports/Compare.tsx';
import { AuditForm, auditInputOf, parseEpsList } from '../../../src-renderer/reports/AuditForm.tsx';
import { auditFixture } from '../reports/audit-fixture.ts';

const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/\s+/g, ' ');

describe('report page', () => {
  const audit = auditFixture();
  const html = renderToStaticMarkup(<ReportView audit={audit} />);
  const plain = text(html);

  it('shows each model’s worst case per ε with its interval and defended rate, and no caveat when the intervals are narrow', () => {
    for (const w of audit.worst) {
      expect(html).toContain(`${pct(w.robustAccuracy)}</strong><small class="block">CI ${ciText(w.robustAccuracyCi95)}</small>`);
      if (w.defendedRate !== null) expect(html).toContain(`defended ${pct(w.defendedRate)}`);
    }
    expect(html).not.toContain('data-testid="report-caveat"');
    expect(html).not.toContain('role="status"');
  });

  it('lists every cell, per-class F1 on clean beats, detection for the ATK-GAN only, and the strongest attack’s confusion', () => {
    const rows = html.slice(html.indexOf('data-testid="robust-table"')).split('</table>')[0]!;
    expect(rows.match(/<tr>/g)).toHaveLength(audit.cells.length + 1);
    for (const c of audit.cells) expect(rows).toContain(`<td>${c.label}</td><td class="num">${fmtEps(c.eps)}</td><td class="num">${c.beats}</td><td class="num">${pct(c.cleanAccuracy)}</td><td class="num">${pct(c.robustAccuracy)}</td><td class="num">${ciText(c.robustAccuracyCi95)}</td>`);
    const f1 = audit.clean[1]!.perClass;
    expect(plain).toContain(`dcnn-mitdb clean ${['N', 'S', 'V', 'F'].map((k) => f1[k]!.f1.toFixed(3)).join(' ')}`);
    const det = html.slice(html.indexOf('data-testid="detection-table"')).split('</table>')[0]!;
    expect(det.match(/<tr>/g)).toHaveLength(audit.cells.filter((c) => c.detection).length + 1);
    expect(det).not.toContain('dcnn-mitdb');
    // Default matrix: the first model's strongest attack at the largest ε.
    const strongest = audit.cells.filter((c) => c.model === 'atk-gan-mitdb' && c.eps === 0.02).sort((x, y) => x.robustAccuracy - y.robustAccuracy)[0]!;
    expect(plain).toContain(`atk-gan-mitdb, ${strongest.label}, ε = 0.02 (strongest)`);
    expect(plain).toContain(`N ${strongest.confusion[0]!.join(' ')} S`);
  });

  it('draws the example overlays in blue and red and keeps the provenance', () => {
    expect(html.match(/class="overlay"/g)).toHaveLength(audit.examples.length);
    expect(html.match(/stroke="#1565c0"/g)).toHaveLength(audit.examples.length);
    expect(html.match(/stroke="#c62828"/g)).toHaveLength(audit.examples.length);
    const p = audit.provenance;
    for (const s of [p.models[0]!.weightsSha256, p.models[1]!.modelJsonSha256, p.dataset.manifestHash, `${p.backend} ${p.backendVersion}, ${p.workers} workers`, `commit ${p.gitCommit}`, p.startedAt]) expect(plain).toContain(s);
  });

  it('says when figures rest on few beats and when an audit is unfinished', () => {
    const small = auditFixture({ beats: 40, status: 'running' });
    const out = text(renderToStaticMarkup(<ReportView audit={small} />));
    expect(out).toContain('as few as 40');
    expect(out).toContain(`This audit is running : ${small.cellsDone} of ${small.cellsTotal} grid cells are done`);
  });
});

describe('audit list and comparison', () => {
  it('lists each audit with its status, models, dataset name and cells done', () => {
    const a = auditFixture();
    const rows: AuditSummary[] = [
      { ...a, id: 'aud-2', status: 'running', cellsDone: 4 },
      { ...a, id: 'aud-1', rerunOf: null },
    ];
    const html = renderToStaticMarkup(<AuditList audits={rows} datasetName={(id) => (id === a.dataset ? 'mitdb-paper' : id)} picked={['aud-1']} onPick={() => undefined} onOpen={() => undefined} />);
    const plain = text(html);
    expect(plain).toContain(`running atk-gan-mitdb, dcnn-mitdb mitdb-paper paper, adaptive; ε 0.005, 0.01, 0.02 400 4 / ${a.cellsTotal}`);
    expect(plain).toContain(`succeeded atk-gan-mitdb, dcnn-mitdb mitdb-paper paper, adaptive; ε 0.005, 0.01, 0.02 400 ${a.cellsTotal} / ${a.cellsTotal}`);
    expect(html.match(/type="checkbox"/g)).toHaveLength(2);
    expect(html).toMatch(/<tr[^>]*data-audit-id="aud-1"[^>]*class="selected"/);
  });

  it('puts two audits’ key figures side by side', () => {
    const a = auditFixture();
    const b = auditFixture({ seed: 99, models: ['atk-gan-v2'] });
    const html = renderToStaticMarkup(<Compare a={a} b={b} />);
    const colA = html.slice(html.indexOf('data-testid="compare-A"'), html.indexOf('data-testid="compare-B"'));
    const colB = html.slice(html.indexOf('data-testid="compare-B"'));
    for (const w of a.worst) expect(colA).toContain(`${pct(w.robustAccuracy)}</strong><small class="block">CI ${ciText(w.robustAccuracyCi95)}`);
    for (const w of b.worst) expect(colB).toContain(`${pct(w.robustAccuracy)}</strong><small class="block">CI ${ciText(w.robustAccuracyCi95)}`);
    expect(colB).not.toContain('dcnn-mitdb');
    expect(text(colB)).toContain('B: atk-gan-v2 on mitdb-paper');
  });
});

describe('audit form', () => {
  it('parses ε lists and leaves empty fields to the API’s defaults', () => {
    expect(parseEpsList(' 0.005, 0.01;0.02  0.05 ')).toEqual([0.005, 0.01, 0.02, 0.05]);
    expect(parseEpsList('0.01, abc')[1]).toBeNaN();
    const draft = { models: ['m1', 'm2'], dataset: '', suite: 'strong', eps: '0.01', mode: 'adaptive' as const, source: 'm3', limit: '', seed: '' };
    expect(auditInputOf(draft, 'ds1')).toEqual({ models: ['m1', 'm2'], dataset: 'ds1', suite: 'strong', eps: [0.01], mode: 'adaptive' });
    expect(auditInputOf({ ...draft, mode: 'transfer', limit: '500', seed: '3' }, 'ds1')).toEqual({ models: ['m1', 'm2'], dataset: 'ds1', suite: 'strong', eps: [0.01], mode: 'transfer', source: 'm3', limit: 500, seed: 3 });
  });

  it('offers every registered model with the default ticked, every dataset, and shows a field error beside its field', () => {
    const model = (name: string, isDefault: boolean) => ({ name, kind: 'atk-gan', isDefault }) as ModelEntry;
    const ds = { id: 'ds1', name: 'mitdb-paper', classes: ['N', 'S', 'V', 'F'], counts: { test: { N: 30, S: 5, V: 4, F: 1 } } } as unknown as DatasetSummary;
    const html = renderToStaticMarkup(
      <MemoryRouter>
        <AuditForm models={[model('a', false), model('b', true)]} datasets={[ds]} busy={false} errors={{ eps: 'Too small: expected number to be >=0' }} onSubmit={() => undefined} />
      </MemoryRouter>,
    );
    expect(html.match(/type="checkbox"/g)).toHaveLength(2);
    expect(html).toMatch(/<input type="checkbox" checked=""\/> b/);
    expect(text(html)).toContain('mitdb-paper — 40 test beats, N/S/V/F');
    expect(html).toContain('id="audit-eps" type="text" inputMode="decimal" aria-describedby="audit-eps-error"');
    expect(html).toContain('id="audit-eps-error"');
  });
});
