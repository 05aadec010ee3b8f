// The renderer's only door to the main process. It codes against ApiClient and never
// learns which transport it has: the Electron preload bridge, or loopback HTTP in browser mode.
import { ApiEvent, MAX_UPLOAD_BYTES, ops, UPLOAD_HEADER, UPLOAD_PATH, UploadResult, type ApiClient, type OpInput, type OpName, type OpOutput } from '../../src-shared/contract/index.ts';
import { AppError, type ErrorShape, type Envelope } from '../../src-shared/errors.ts';

interface PreloadBridge {
  call(op: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
}

declare global {
  interface Window {
    ecgatk?: PreloadBridge;
  }
}

function unwrap<K extends OpName>(op: K, envelope: unknown): OpOutput<K> {
  const env = envelope as Envelope<unknown> | null;
  if (!env || typeof env !== 'object' || !('ok' in env)) throw new AppError('INTERNAL', `Malformed reply to ${op}`);
  if (!env.ok) throw AppError.from(env.error as ErrorShape);
  return ops[op].output.parse(env.value) as OpOutput<K>;
}

class ListenerSet {
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  add(l: (e: ApiEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(raw: unknown): void {
    const parsed = ApiEvent.safeParse(raw);
    if (!parsed.success) return; // unknown future event types are ignored, not fatal
    for (const l of this.listeners) l(parsed.data);
  }
  get size(): number {
    return this.listeners.size;
  }
}

class IpcClient implements ApiClient {
  readonly transport = 'ipc' as const;
  private readonly bridge: PreloadBridge;
  constructor(bridge: PreloadBridge) {
    this.bridge = bridge;
  }
  async call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>> {
    return unwrap(op, await this.bridge.call(op, input));
  }
  onEvent(listener: (event: ApiEvent) => void): () => void {
    const set = new ListenerSet();
    set.add(listener);
    return this.bridge.onEvent((e) => set.emit(e));
  }
}

/** Browser mode only: sends picked or dropped files to the host, which imports them. */
export interface Uploader {
  readonly maxUploadBytes: number;
  upload(files: readonly File[], onProgress?: (sent: number, total: number) => void): Promise<UploadResult>;
}

class HttpClient implements ApiClient, Uploader {
  readonly maxUploadBytes = MAX_UPLOAD_BYTES;
  readonly transport = 'http' as const;
  private readonly token: string;
  private readonly listeners = new ListenerSet();
  private streaming = false;
  constructor(token: string) {
    this.token = token;
  }
  async call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>> {
    let res: Response;
    try {
      res = await fetch(`/api/call/${op}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch (err) {
      throw new AppError('INTERNAL', `The workstation service is not reachable (${String(err)}). Is "npm run serve" still running?`);
    }
    return unwrap(op, await res.json());
  }
  /** XMLHttpRequest rather than fetch: it reports upload progress. */
  upload(files: readonly File[], onProgress?: (sent: number, total: number) => void): Promise<UploadResult> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', UPLOAD_PATH);
      xhr.setRequestHeader('Authorization', `Bearer ${this.token}`);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader(UPLOAD_HEADER, encodeURIComponent(JSON.stringify(files.map((f) => ({ name: f.name, bytes: f.size })))));
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.total);
      xhr.onerror = () => reject(new AppError('INTERNAL', 'The upload did not reach the workstation service. Is "npm run serve" still running?'));
      xhr.onload = () => {
        try {
          const env = JSON.parse(xhr.responseText) as Envelope<unknown>;
          if (!env.ok) return reject(AppError.from(env.error));
          resolve(UploadResult.parse(env.value));
        } catch (err) {
          reject(new AppError('INTERNAL', `Malformed reply to the upload (${String(err)})`));
        }
      };
      xhr.send(new Blob([...files]));
    });
  }
  onEvent(listener: (event: ApiEvent) => void): () => void {
    const off = this.listeners.add(listener);
    if (!this.streaming) void this.stream();
    return off;
  }
  /** Server-sent events over fetch (EventSource cannot send the Authorization header). */
  private async stream(): Promise<void> {
    this.streaming = true;
    let delay = 500;
    while (this.listeners.size > 0) {
      try {
        const res = await fetch('/api/events', { headers: { Authorization: `Bearer ${this.token}` } });
        if (!res.ok || !res.body) throw new Error(`event stream refused (${res.status})`);
        delay = 500;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (data) this.listeners.emit(JSON.parse(data));
          }
        }
      } catch {
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
    this.streaming = false;
  }
}

/** The uploader of a browser-mode client; null in the desktop app (it has native dialogs and paths). */
export function uploaderOf(api: ApiClient): Uploader | null {
  return api instanceof HttpClient ? api : null;
}

const TOKEN_KEY = 'ecgatk.token';

/** Takes the launch token from the URL fragment once, keeps it for this tab, and cleans the URL. */
function browserToken(): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    window.history.replaceState(null, '', `${window.location.pathname}#/`);
    return m[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function createClient(): ApiClient {
  if (window.ecgatk) return new IpcClient(window.ecgatk);
  const token = browserToken();
  if (!token) {
    throw new AppError('UNAUTHORIZED', 'No access token. Open the full URL printed by "npm run serve" (it ends in #token=…).');
  }
  return new HttpClient(token);
}
