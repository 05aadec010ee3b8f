// Screens whose engines arrive in later issues; each still says what it will hold and how to get there.
import { EmptyState } from '../components/EmptyState.tsx';

export function ReportsRoute() {
  return (
    <section>
      <h1>Robustness reports</h1>
      <EmptyState title="No reports yet">
        <p>Each report records the model hash, data hash, seed, backend and app version so that an auditor can reproduce it.</p>
      </EmptyState>
    </section>
  );
}
