import type { AppInfo } from '../../src-shared/contract/index.ts';

export function StatusBar({ info, error, transport }: { info: AppInfo | null; error: Error | null; transport: string }) {
  return (
    <footer className="status-bar" data-testid="status-bar">
      {error ? (
        <span className="status-error">Service unavailable: {error.message}</span>
      ) : info ? (
        <>
          <span title={info.backendDetail.tried.join('\n') || 'first choice loaded'}>
            Backend: <strong data-testid="status-backend">{info.backend}</strong>
            {info.backend === 'wasm' ? (info.backendDetail.simd ? ' (SIMD)' : ' (no SIMD)') : ''}
          </span>
          <span title={info.dbPath}>
            Database: <strong data-testid="status-db">{info.dbPath}</strong>
          </span>
          <span>Mode: {transport === 'ipc' ? 'desktop' : 'browser'}</span>
          <span className="status-right">
            {info.name} {info.version}
          </span>
        </>
      ) : (
        <span>Connecting…</span>
      )}
    </footer>
  );
}
