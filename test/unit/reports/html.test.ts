// The HTML report of an audit: one self-contained, balanced page with every table's figures, SVG
// charts, shaded confusion matrices, example overlays and the provenance; every string escaped.
import { describe, it, expect } from 'vitest';
import { renderReportHtml, esc } from '../../../src-main/reports/html.ts';
import { ciText, fmtEps, pct } from '../../../src-shared/report.ts';
import { auditFixture, CLASSES } from './audit-fixture.ts';

const VOID = new Set(['meta', 'br', 'img', 'input', 'link', 'hr', 'col', 'wbr']);

/** Unclosed or mismatched elements, as "expected </x>, got </y>" lines (empty when balanced). */
function unbalanced(html: string): string[] {
  const stack: string[] = [];
  const bad: string[] = [];
  for (const m of html.replace(/<!doctype[^>]*>/i, '').matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, close, name, , selfClose] = m;
    const tag = name!.toLowerCase();
    if (selfClose || VOID.has(tag)) continue;
    if (!close) stack.push(tag);
    else if (stack.pop() !== tag) bad.push(`expected </${stack.at(-1) ?? ''}>, got </${tag}>`);
  }
  return [...bad, ...stack.map((t) => `<${t}> never closed`)];
}

describe('renderReportHtml', () => {
  const audit = auditFixture();
  const html = renderReportHtml(audit);

  it('is one balanced, self-contained page that loads nothing and runs nothing', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(unbalanced(html)).toEqual([]);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<(script|link|iframe|img|object|embed)\b/i);
    // Only references inside the page (ECharts' clip paths: url(#…)).
    expect(html).not.toMatch(/url\((?!#)|@import/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toMatch(/@media print\s*\{[^]*break-before: page/);
  });

  it('shows every cell’s robust accuracy with its interval and beat count, and the worst case per ε', () => {
    const body = html.slice(html.indexOf('id="robust-accuracy"'), html.indexOf('id="worst-case"'));
    // Three attacks × three ε for the ATK-GAN, two × three for the D-CNN (no detector-aware attack on it).
    expect(audit.cells.length).toBe(3 * 3 + 2 * 3);
    // Every cell has the same beat count: it is given once, in the caption.
    expect(new Set(audit.cells.map((c) => c.beats)).size).toBe(1);
    expect(body).toContain(`Robust accuracy per model, attack and ε (${audit.cells[0]!.beats} beats each)`);
    for (const c of audit.cells) {
      expect(body).toContain(
        `<td>${esc(c.label)}</td><td class="num">${fmtEps(c.eps)}</td><td class="num">${pct(c.cleanAccuracy)}</td><td class="num">${pct(c.robustAccuracy)}</td><td class="num">${ciText(c.robustAccuracyCi95)}</td><td class="num">${pct(c.attackSuccessRate)}</td>`,
      );
    }
    const worst = html.slice(html.indexOf('id="worst-case"'), html.indexOf('id="detection"'));
    for (const w of audit.worst) expect(worst).toContain(`<td>${esc(w.model)}</td><td class="num">${fmtEps(w.eps)}</td><td class="num">${w.beats}</td><td class="num">${pct(w.robustAccuracy)}</td><td class="num">${ciText(w.robustAccuracyCi95)}</td><td class="num">${pct(w.defendedRate)}</td>`);
    // The summary gives each model's worst case per ε with its interval.
    const summary = html.slice(html.indexOf('id="summary"'), html.indexOf('id="curves"'));
    for (const w of audit.worst) expect(summary).toContain(`${pct(w.robustAccuracy)}</strong><br><small>CI ${ciText(w.robustAccuracyCi95)}</small>`);
    // Robust ≤ clean in the fixture, so the worst case is a real minimum to show.
    expect(Math.min(...audit.worst.map((w) => w.robustAccuracy))).toBeLessThan(Math.min(...audit.clean.map((c) => c.accuracy)));
  });

  it('lists per-class F1, and detection figures only for the model that has the attacked/clean head', () => {
    const f1 = html.slice(html.indexOf('id="per-class"'), html.indexOf('id="confusion"'));
    for (const k of CLASSES) expect(f1).toContain(`F1 ${k}</th>`);
    const c = audit.cells[4]!;
    expect(f1).toContain(`<td>${esc(c.model)}</td><td>${esc(`${c.label}, ε = ${fmtEps(c.eps)}`)}</td>${CLASSES.map((k) => `<td class="num">${c.perClass[k]!.f1.toFixed(3)}</td>`).join('')}`);
    const det = html.slice(html.indexOf('id="detection"'), html.indexOf('id="per-class"'));
    const withHead = audit.cells.filter((x) => x.detection);
    expect(withHead.length).toBe(9);
    expect(det.match(/<tr><td>/g)).toHaveLength(withHead.length);
    for (const x of withHead) expect(det).toContain(`<td class="num">${pct(x.detection!.tpr)}</td><td class="num">${pct(x.detection!.fpr)}</td><td class="num">${pct(x.detection!.defendedRate)}</td><td class="num">${pct(x.detection!.undetectedMisclassified)}</td>`);
    expect(det).not.toContain('dcnn-mitdb');
  });

  it('draws the curves as inline SVG, shaded confusion matrices and every example overlay in blue and red', () => {
    const curves = html.slice(html.indexOf('id="curves"'), html.indexOf('id="robust-accuracy"'));
    // One chart per model and the worst-case chart, each an ECharts SVG naming its series.
    expect(curves.match(/<svg\b/g)).toHaveLength(3);
    for (const label of ['fgsm', 'pgd', 'adaptive-pgd λ=10', 'worst case', 'clean']) expect(curves).toContain(`>${label}</text>`);
    const conf = html.slice(html.indexOf('id="confusion"'), html.indexOf('id="examples"'));
    // Per model: clean plus the strongest attack at each ε.
    expect(conf.match(/<table class="confusion">/g)).toHaveLength(2 * (1 + 3));
    expect(conf.match(/rgba\(21, 101, 192, /g)).toHaveLength(8 * CLASSES.length ** 2);
    // The first model's clean N row: each count shaded by its share of the row, white text on dark cells.
    const row = audit.clean[0]!.confusion[0]!;
    const n = row.reduce((s, x) => s + x, 0);
    expect(conf).toContain(`<th scope="row">N</th>${row.map((v) => `<td style="background: rgba(21, 101, 192, ${(v / n).toFixed(3)}); color: ${v / n > 0.55 ? '#fff' : 'inherit'}">${v}</td>`).join('')}`);
    const ex = html.slice(html.indexOf('id="examples"'), html.indexOf('id="provenance"'));
    expect(ex.match(/stroke="#1565c0"/g)).toHaveLength(audit.examples.length);
    expect(ex.match(/stroke="#c62828"/g)).toHaveLength(audit.examples.length);
    expect(ex).toContain(esc(`beat ${audit.examples[0]!.beatIndex} (reference ${audit.examples[0]!.reference}): ${audit.examples[0]!.before} → ${audit.examples[0]!.after}; p(attacked) 87.0%`));
  });

  it('carries the provenance: hashes, dataset, seed, suite, backend, workers, versions, times', () => {
    const prov = html.slice(html.indexOf('id="provenance"'));
    const p = audit.provenance;
    for (const s of [
      ...p.models.flatMap((m) => [m.weightsSha256, m.modelJsonSha256, m.kind]),
      p.dataset.manifestHash,
      p.dataset.name,
      `<dd>${p.seed}</dd>`,
      `${p.backend} ${p.backendVersion}`,
      `<dd>${p.workers}</dd>`,
      p.appVersion,
      p.gitCommit!,
      p.startedAt,
      p.finishedAt!,
      esc(JSON.stringify(p.suite[1]!.params)),
    ])
      expect(prov).toContain(s);
  });

  it('escapes every string it is given', () => {
    const evil = '<script>alert("x")</script>&';
    const a = auditFixture({ models: [evil, 'dcnn "quoted" \'name\''] });
    a.provenance.dataset.name = '<img src=x onerror=alert(1)>';
    a.provenance.gitCommit = '"><b>';
    const out = renderReportHtml(a);
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('"><b>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('dcnn &quot;quoted&quot; &#39;name&#39;');
    expect(unbalanced(out)).toEqual([]);
  });

  it('says when figures rest on few beats, and only then; an unfinished audit says what it covers', () => {
    expect(html).not.toContain('class="caveat"');
    expect(html).not.toContain('class="status"');
    const small = auditFixture({ beats: 40, status: 'running' });
    const out = renderReportHtml(small);
    const caveat = /<p class="caveat">([^<]*)<\/p>/.exec(out)?.[1];
    const widest = Math.max(...[...small.cells, ...small.worst].map((c) => c.robustAccuracyCi95.high - c.robustAccuracyCi95.low));
    expect(caveat).toContain(`up to ${(widest * 100).toFixed(0)} points wide`);
    expect(caveat).toContain('as few as 40');
    expect(out).toContain('&#8201;†');
    expect(out).toContain(`<strong>running</strong>: ${small.cellsDone} of ${small.cellsTotal} grid cells are done`);
  });
});
