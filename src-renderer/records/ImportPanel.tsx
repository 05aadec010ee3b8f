// Import: the bundled samples, typed paths (checked first, so a relative or missing path
// says what to type), and picked or dropped files. The desktop app picks paths with the
// native dialog; browser mode uploads the files to the local host, grouped by record.
import { useCallback, useState, type DragEvent } from 'react';
import type { ImportItem, JobStatus } from '../../src-shared/contract/index.ts';
import { useApi, useJob } from '../api/hooks.ts';
import { uploaderOf } from '../api/client.ts';
import { JobProgress } from '../components/JobProgress.tsx';
import { planUploads } from './upload-plan.ts';

const MB = 1024 * 1024;

/** Files of a drop, folders walked; entries are taken before the first await (the drop's data expires). */
async function droppedFiles(dt: DataTransfer): Promise<File[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return [...dt.files];
  const out: File[] = [];
  const walk = async (e: FileSystemEntry): Promise<void> => {
    if (e.isFile) {
      out.push(await new Promise<File>((res, rej) => (e as FileSystemFileEntry).file(res, rej)));
    } else if (e.isDirectory) {
      const reader = (e as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out;
}

export function ImportPanel({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const uploader = uploaderOf(api);
  const [paths, setPaths] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [uploading, setUploading] = useState<{ sent: number; total: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const { job, start, error } = useJob(useCallback((j: JobStatus) => j.state === 'succeeded' && onDone(), [onDone]));
  const failed: ImportItem[] = job?.kind === 'records.import' && job.state === 'succeeded' ? (job.result ?? []).filter((i) => i.status === 'failed') : [];

  const importTyped = async (): Promise<void> => {
    const list = paths.split(';').map((p) => p.trim()).filter(Boolean);
    const checks = await api.call('records.checkPaths', { paths: list }).catch((e: unknown) => [{ path: '', problem: e instanceof Error ? e.message : String(e) }]);
    const bad = checks.flatMap((c) => (c.problem ? [c.problem] : []));
    setProblems(bad);
    if (bad.length === 0) await start(() => api.call('records.import', { paths: list }));
  };

  const importPicked = async (kind: 'files' | 'folder'): Promise<void> => {
    const picked = await api.call('dialog.openPaths', { kind }).catch((e: unknown) => {
      setProblems([e instanceof Error ? e.message : String(e)]);
      return null;
    });
    if (picked?.paths.length) {
      setProblems([]);
      await start(() => api.call('records.import', { paths: picked.paths }));
    }
  };

  const uploadFiles = async (files: File[]): Promise<void> => {
    if (!uploader || files.length === 0) return;
    const plan = planUploads(files, uploader.maxUploadBytes);
    setProblems(plan.notes);
    const total = plan.batches.flat().reduce((s, f) => s + f.size, 0);
    let before = 0;
    try {
      for (const batch of plan.batches) {
        setUploading({ sent: before, total });
        await start(() => uploader.upload(batch, (sent) => setUploading({ sent: before + sent, total })));
        before += batch.reduce((s, f) => s + f.size, 0);
      }
    } finally {
      setUploading(null);
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setDragging(false);
    if (!uploader) {
      setProblems(['Dropped files cannot be imported by path in the desktop app: use Choose files… or Choose folder…']);
      return;
    }
    void droppedFiles(e.dataTransfer).then(uploadFiles);
  };

  const picker = (kind: 'files' | 'folder', label: string) =>
    uploader ? (
      // A label wrapping a visually hidden input: one focusable, labelled control that opens the browser's picker.
      <label className="button-like">
        {label}
        <input
          className="visually-hidden"
          type="file"
          multiple
          // No accept filter: WFDB signal and annotation files have any extension.
          {...(kind === 'folder' ? { webkitdirectory: '' } : {})}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void uploadFiles(files);
          }}
        />
      </label>
    ) : (
      <button type="button" onClick={() => void importPicked(kind)}>
        {label}
      </button>
    );

  return (
    <div className="panel">
      <h2>Import</h2>
      <div className="row">
        <button type="button" onClick={() => void start(() => api.call('records.importSamples', {}))}>
          Import sample records
        </button>
        <input
          aria-label="Files or folders to import"
          placeholder="Full path of a record or folder, e.g. /home/you/data/mitdb (several separated by ;)"
          value={paths}
          onChange={(e) => setPaths(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && paths.trim() !== '' && void importTyped()}
          style={{ flex: 1, minWidth: 280 }}
        />
        <button type="button" disabled={paths.trim() === ''} onClick={() => void importTyped()}>
          Import
        </button>
      </div>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <span>
          {uploader ? 'Drop record files or folders here' : 'Pick record files or folders'} — a WFDB record needs its .hea with its .dat and annotation files (.atr…); EDF and CSV files stand alone.
        </span>
        {picker('files', 'Choose files…')}
        {picker('folder', 'Choose folder…')}
      </div>
      {uploading ? (
        <p data-testid="upload-progress">
          <progress max={uploading.total || 1} value={uploading.sent} aria-label="Upload progress" /> Uploading {(uploading.sent / MB).toFixed(1)} of {(uploading.total / MB).toFixed(1)} MB
        </p>
      ) : null}
      {problems.length ? (
        <ul className="error-text" data-testid="path-problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      {job ? <JobProgress job={job} onCancel={() => void api.call('jobs.cancel', { id: job.id })} /> : null}
      {failed.length ? (
        <ul className="error-text" data-testid="import-failures">
          {failed.map((f) => (
            <li key={f.path}>{f.error}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
