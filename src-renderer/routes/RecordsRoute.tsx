// The record list: import, then find a record; opening one goes to its viewer (/records/<id>).
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '../api/hooks.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { ImportPanel } from '../records/ImportPanel.tsx';
import { RecordTable } from '../records/RecordTable.tsx';

export function RecordsRoute() {
  const records = useQuery('records.list', {});
  const rhythms = useQuery('records.rhythms', {});
  const navigate = useNavigate();
  const list = records.data ?? [];
  const reload = useCallback(() => {
    records.reload();
    rhythms.reload();
  }, [records.reload, rhythms.reload]);
  return (
    <section>
      <h1>Records</h1>
      <ImportPanel onDone={reload} />
      {records.error ? <p className="error-text">{records.error.message}</p> : null}
      {list.length === 0 && !records.loading ? (
        <EmptyState title="No records imported">
          <p>Import the bundled sample records, or WFDB (.hea), EDF and CSV files from this machine.</p>
        </EmptyState>
      ) : (
        <RecordTable records={list} rhythms={rhythms.data ?? []} openId={null} onOpen={(id) => void navigate(`/records/${id}`)} />
      )}
    </section>
  );
}
