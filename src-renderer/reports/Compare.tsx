// Two audits side by side: every model's worst-case curve of both on one chart, then each audit's
// own worst-case curves and key figures in a column of its own.
import { useMemo } from 'react';
import type { Audit } from '../../src-shared/contract/index.ts';
import { PALETTE, fmtEps, modelsOf, suiteText, worstCaseOption, type WorstCurve } from '../../src-shared/report.ts';
import { Chart, type ChartOption } from '../components/Chart.tsx';
import { CHART_MIN_WIDTH, KeyFigures } from './ReportView.tsx';

/** "A · model": which audit a curve belongs to, by its column letter; one colour per model, B dashed. */
function curvesOf(audit: Audit, tag: 'A' | 'B', colours: ReadonlyMap<string, string>): WorstCurve[] {
  return modelsOf(audit).map((m) => ({ name: `${tag} · ${m}`, worst: audit.worst.filter((w) => w.model === m), color: colours.get(m), dashed: tag === 'B' }));
}

export function Compare({ a, b }: { a: Audit; b: Audit }) {
  const colours = useMemo(() => new Map([...new Set([...modelsOf(a), ...modelsOf(b)])].map((m, i) => [m, PALETTE[i % PALETTE.length]!])), [a, b]);
  const both = useMemo(() => worstCaseOption([...curvesOf(a, 'A', colours), ...curvesOf(b, 'B', colours)], 2 * CHART_MIN_WIDTH) as ChartOption, [a, b, colours]);
  return (
    <div className="compare" data-testid="compare">
      <figure className="chart-figure panel">
        <Chart option={both} height={320} testId="compare-worst" />
        <figcaption>Worst-case robust accuracy against ε of both audits: A solid, B dashed, one colour per model.</figcaption>
      </figure>
      <div className="compare-columns">
        {(
          [
            { audit: a, tag: 'A' },
            { audit: b, tag: 'B' },
          ] as const
        ).map(({ audit, tag }) => (
          <section key={tag} className="panel" aria-label={`Audit ${tag}`} data-testid={`compare-${tag}`}>
            <h2>
              {tag}: {audit.models.join(', ')} on {audit.provenance.dataset.name}
            </h2>
            <p className="muted">
              {suiteText(audit.suite)}, {audit.mode}; ε {audit.eps.map(fmtEps).join(', ')}; {audit.beats} beats; seed {audit.provenance.seed}; {audit.status}, {new Date(audit.createdAt).toLocaleString()}
            </p>
            <Chart option={worstCaseOption(curvesOf(audit, tag, colours), CHART_MIN_WIDTH) as ChartOption} height={240} testId={`compare-worst-${tag}`} />
            <KeyFigures audit={audit} testId={`compare-figures-${tag}`} />
          </section>
        ))}
      </div>
    </div>
  );
}
