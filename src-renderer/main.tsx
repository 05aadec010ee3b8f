import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createClient } from './api/client.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
try {
  const api = createClient();
  root.render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  );
} catch (err) {
  root.render(
    <div className="error-panel" role="alert">
      <h2>Cannot connect to the workstation service</h2>
      <pre>{err instanceof Error ? err.message : String(err)}</pre>
    </div>,
  );
}
