// Browser mode: serves the built renderer and the typed API on 127.0.0.1 only.
// Every /api request needs the per-launch bearer token; requests from a foreign Origin
// or with a foreign Host header (DNS rebinding) are refused before the token is checked.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Core } from '../app/core.ts';
import { toErrorShape } from '../app/dispatch.ts';
import { AppError, type Envelope, type ErrorCode } from '../../src-shared/errors.ts';

/** HTTP status for an error code, so the loopback host speaks plain HTTP too. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
    case 'BAD_FILE':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'NOT_FOUND':
    case 'UNKNOWN_OPERATION':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'CANCELLED':
      return 499;
    case 'INTERNAL':
      return 500;
  }
}
import { CONTENT_SECURITY_POLICY } from './security.ts';
import { parseUploadManifest, receiveUpload } from './upload.ts';
import { MAX_UPLOAD_BYTES, UPLOAD_HEADER, UPLOAD_PATH } from '../../src-shared/contract/index.ts';

export interface HttpHostOptions {
  core: Core;
  /** Folder with the built renderer (index.html); null serves the API only. */
  rendererDir: string | null;
  port?: number;
  token?: string;
  /** Folder that receives browser uploads (<data folder>/uploads); null or absent: no uploads. */
  uploadsDir?: string | null;
  /** Largest upload in bytes (default MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number;
}

export interface HttpHost {
  url: string;
  /** URL that hands the token to the renderer (fragment: never sent to the server or logged). */
  launchUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 5 * 1024 * 1024;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

function baseHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, code: 'UNAUTHORIZED' | 'INVALID_INPUT' | 'NOT_FOUND', message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } } satisfies Envelope<never>);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new Error(`request body exceeds ${MAX_BODY} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const tokenBuf = Buffer.from(token);
  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const tokenOk = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    return given.length === tokenBuf.length && timingSafeEqual(given, tokenBuf);
  };

  const serveStatic = async (pathname: string, res: ServerResponse): Promise<void> => {
    if (!opts.rendererDir) return refuse(res, 404, 'NOT_FOUND', 'No renderer build is being served');
    const root = resolve(opts.rendererDir);
    const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = resolve(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) return refuse(res, 404, 'NOT_FOUND', 'Not found');
    const isFile = await stat(file).then((s) => s.isFile(), () => false);
    if (!isFile) {
      if (extname(rel) !== '') return refuse(res, 404, 'NOT_FOUND', `Not found: ${pathname}`);
      file = join(root, 'index.html'); // client-side routes
    }
    const body = await readFile(file);
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string | number> = { 'Content-Type': type, 'Content-Length': body.length };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
      headers['Cache-Control'] = 'no-store';
    }
    res.writeHead(200, headers);
    res.end(body);
  };

  /** Stores the files of one upload together, then starts the normal import job on their folder. */
  const handleUpload = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!opts.uploadsDir) return refuse(res, 404, 'NOT_FOUND', 'This host does not accept uploads');
    if (!(req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
      return refuse(res, 400, 'INVALID_INPUT', 'Content-Type must be application/octet-stream');
    }
    let files;
    try {
      files = parseUploadManifest(req.headers[UPLOAD_HEADER], req.headers['content-length'], opts.maxUploadBytes ?? MAX_UPLOAD_BYTES);
    } catch (err) {
      // Refused before the body is read: do not wait for (or keep) a large body.
      res.setHeader('Connection', 'close');
      throw err;
    }
    const { id, dir } = await receiveUpload(req as AsyncIterable<Buffer>, files, opts.uploadsDir);
    const started = await opts.core.call('records.import', { paths: [dir] });
    if (!started.ok) return sendJson(res, httpStatusFor(started.error.code), started);
    const { jobId } = started.value as { jobId: string };
    sendJson(res, 200, { ok: true, value: { jobId, uploadId: id, files: files.map((f) => f.name) } } satisfies Envelope<unknown>);
  };

  const server = createServer((req, res) => {
    baseHeaders(res);
    const host = req.headers.host ?? '';
    if (!allowedHosts().includes(host)) return refuse(res, 403, 'UNAUTHORIZED', `Host ${JSON.stringify(host)} is not allowed`);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) {
      return refuse(res, 403, 'UNAUTHORIZED', `Origin ${origin} is not allowed`);
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 404, 'NOT_FOUND', 'Not found');
      serveStatic(url.pathname, res).catch((err: unknown) => refuse(res, 404, 'NOT_FOUND', String(err)));
      return;
    }
    if (!tokenOk(req)) return refuse(res, 401, 'UNAUTHORIZED', 'Missing or wrong API token');

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      const off = opts.core.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
      const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      req.on('close', () => {
        clearInterval(beat);
        off();
      });
      return;
    }
    if (url.pathname === UPLOAD_PATH && req.method === 'POST') {
      handleUpload(req, res).catch((err: unknown) => {
        // A refused upload is the caller's fault; anything else (a full disk…) is ours.
        const shape = err instanceof AppError ? toErrorShape('upload', err) : { code: 'INTERNAL' as const, message: `Upload failed: ${err instanceof Error ? err.message : String(err)}` };
        sendJson(res, httpStatusFor(shape.code), { ok: false, error: shape } satisfies Envelope<never>);
      });
      return;
    }
    const match = /^\/api\/call\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
    if (!match || req.method !== 'POST') return refuse(res, 404, 'NOT_FOUND', `No API route ${req.method} ${url.pathname}`);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return refuse(res, 400, 'INVALID_INPUT', 'Content-Type must be application/json');
    }
    readBody(req)
      .then(async (text) => {
        let payload: unknown;
        try {
          payload = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
        } catch {
          return refuse(res, 400, 'INVALID_INPUT', 'Request body is not valid JSON');
        }
        const envelope = await opts.core.call(match[1], payload);
        sendJson(res, envelope.ok ? 200 : httpStatusFor(envelope.error.code), envelope);
      })
      .catch((err: unknown) => refuse(res, 400, 'INVALID_INPUT', err instanceof Error ? err.message : String(err)));
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    launchUrl: `${url}#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
