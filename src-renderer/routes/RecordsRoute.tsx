import { EmptyState } from '../components/EmptyState.tsx';

export function RecordsRoute() {
  return (
    <section>
      <h1>Records</h1>
      <EmptyState title="No records imported">
        <p>Import WFDB (.hea), EDF or CSV files to browse them here.</p>
      </EmptyState>
    </section>
  );
}
