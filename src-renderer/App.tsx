import { HashRouter, NavLink, Navigate, Route, Routes } from 'react-router';
import type { ApiClient } from '../src-shared/contract/index.ts';
import { ApiContext, useQuery } from './api/hooks.ts';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { RecordsRoute } from './routes/RecordsRoute.tsx';
import { AttackRoute } from './attack/AttackRoute.tsx';
import { ReportsRoute } from './routes/ReportsRoute.tsx';
import { TrainingRoute } from './routes/TrainingRoute.tsx';
import { SettingsRoute } from './routes/SettingsRoute.tsx';
import { JobsRoute } from './routes/JobsRoute.tsx';
import { ViewerRoute } from './viewer/ViewerRoute.tsx';

export const ROUTES = [
  { path: '/records', label: 'Records', element: <RecordsRoute /> },
  { path: '/attack', label: 'Attack simulator', element: <AttackRoute /> },
  { path: '/training', label: 'Training', element: <TrainingRoute /> },
  { path: '/reports', label: 'Reports', element: <ReportsRoute /> },
  { path: '/jobs', label: 'Jobs', element: <JobsRoute /> },
  { path: '/settings', label: 'Settings', element: <SettingsRoute /> },
] as const;

function Shell({ transport }: { transport: string }) {
  const info = useQuery('app.info', {});
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">ECG-ATK</div>
        {ROUTES.map((r) => (
          <NavLink key={r.path} to={r.path} className={({ isActive }) => (isActive ? 'active' : '')}>
            {r.label}
          </NavLink>
        ))}
      </nav>
      <main className="content">
        <Routes>
          <Route path="/" element={<Navigate to="/records" replace />} />
          {ROUTES.map((r) => (
            <Route
              key={r.path}
              path={`${r.path}/*`}
              element={
                <ErrorBoundary key={r.path} label={r.label}>
                  {r.element}
                </ErrorBoundary>
              }
            />
          ))}
          <Route
            path="/records/:id"
            element={
              <ErrorBoundary label="ECG viewer">
                <ViewerRoute />
              </ErrorBoundary>
            }
          />
          <Route path="*" element={<p>Unknown page.</p>} />
        </Routes>
      </main>
      <StatusBar info={info.data} error={info.error} transport={transport} />
    </div>
  );
}

export function App({ api }: { api: ApiClient }) {
  return (
    <ApiContext.Provider value={api}>
      <HashRouter>
        <ErrorBoundary label="The workstation">
          <Shell transport={api.transport} />
        </ErrorBoundary>
      </HashRouter>
    </ApiContext.Provider>
  );
}
