// Audits, newest first: status, models, dataset, grid cells done, date. A row opens its report;
// ticking two rows and "Compare" puts their worst cases side by side.
import type { AuditSummary } from '../../src-shared/contract/index.ts';
import { fmtEps } from '../../src-shared/report.ts';

export function AuditList({
  audits,
  datasetName,
  picked,
  onPick,
  onOpen,
}: {
  audits: readonly AuditSummary[];
  datasetName: (id: string) => string;
  picked: readonly string[];
  onPick: (id: string) => void;
  onOpen: (id: string) => void;
}) {
  return (
    <div className="table-scroll">
      <table className="grid audits" data-testid="audit-list">
        <caption className="visually-hidden">Audits, newest first; open one to see its report, or tick two to compare them</caption>
        <thead>
          <tr>
            <th scope="col">Compare</th>
            <th scope="col">Status</th>
            <th scope="col">Models</th>
            <th scope="col">Dataset</th>
            <th scope="col">Suite, ε</th>
            <th scope="col" className="num">
              Beats
            </th>
            <th scope="col">Cells</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {audits.map((a) => (
            <tr
              key={a.id}
              tabIndex={0}
              data-audit-id={a.id}
              data-status={a.status}
              className={picked.includes(a.id) ? 'selected' : ''}
              onClick={() => onOpen(a.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onOpen(a.id);
              }}
            >
              <td onClick={(e) => e.stopPropagation()}>
                <input type="checkbox" aria-label={`Compare audit ${a.id}`} checked={picked.includes(a.id)} onChange={() => onPick(a.id)} />
              </td>
              <td className={`job-state-${a.status}`}>{a.status}</td>
              <td className="name">{a.models.join(', ')}</td>
              <td>{datasetName(a.dataset)}</td>
              <td>
                {a.suite}, {a.mode}; ε {a.eps.map(fmtEps).join(', ')}
              </td>
              <td className="num">{a.beats}</td>
              <td>
                <progress max={Math.max(1, a.cellsTotal)} value={a.cellsDone} aria-label={`Cells done of audit ${a.id}`} /> {a.cellsDone} / {a.cellsTotal}
              </td>
              <td>{new Date(a.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
