// Browser-mode uploads: the same token/Origin/Host checks as /api, refused names and sizes,
// and an accepted upload imported by the normal import job.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createInProcessCore } from '../../../src-main/app/core.ts';
import { startHttpHost, type HttpHost } from '../../../src-main/host/http-host.ts';
import { checkUploadName } from '../../../src-main/host/upload.ts';
import { readAnnotations, aamiCounts } from '../../../src-main/signals/wfdb/annotations.ts';
import { tempApp, SHARED_DATA } from '../../helpers.ts';
import type { AppContext } from '../../../src-main/app/context.ts';

const M = join(SHARED_DATA, 'mitdb');
const LIMIT = 3 * 1024 * 1024; // record 100 (about 2 MB) fits, a bigger upload does not
let host: HttpHost;
let ctx: AppContext;
let uploads: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = await tempApp();
  ctx = t.ctx;
  cleanup = t.cleanup;
  uploads = join(t.dir, 'uploads');
  host = await startHttpHost({ core: createInProcessCore(ctx), rendererDir: null, port: 0, uploadsDir: uploads, maxUploadBytes: LIMIT });
});
afterAll(async () => {
  await host.close();
  cleanup();
});

interface Part {
  name: string;
  data: Buffer;
}

function upload(parts: Part[], opts: { headers?: Record<string, string>; manifest?: { name: string; bytes: number }[]; body?: Buffer } = {}): Promise<{ status: number; body: { ok: boolean; value?: { jobId: string; uploadId: string; files: string[] }; error?: { code: string; message: string } } }> {
  const manifest = opts.manifest ?? parts.map((p) => ({ name: p.name, bytes: p.data.length }));
  const body = opts.body ?? Buffer.concat(parts.map((p) => p.data));
  const headers = opts.headers ?? { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream', 'X-Ecgatk-Files': encodeURIComponent(JSON.stringify(manifest)) };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: '/api/upload', method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const record100 = (): Part[] => ['100.hea', '100.dat', '100.atr'].map((name) => ({ name, data: readFileSync(join(M, name)) }));
const stored = (): string[] => (existsSync(uploads) ? readdirSync(uploads) : []);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('upload endpoint', () => {
  it('refuses a request without the token, or from a foreign Origin, and stores nothing', async () => {
    const manifest = encodeURIComponent(JSON.stringify([{ name: '100.hea', bytes: 3 }]));
    const noToken = await upload([], { headers: { 'Content-Type': 'application/octet-stream', 'X-Ecgatk-Files': manifest }, body: Buffer.from('abc') });
    expect(noToken.status).toBe(401);
    const foreign = await upload([], { headers: { Authorization: `Bearer ${host.token}`, Origin: 'http://evil.example', 'Content-Type': 'application/octet-stream', 'X-Ecgatk-Files': manifest }, body: Buffer.from('abc') });
    expect(foreign.status).toBe(403);
    expect(stored()).toEqual([]);
  });

  it('refuses file names with folders, "..", hidden or special characters', async () => {
    for (const name of ['../100.hea', 'sub/100.hea', 'sub\\100.hea', '..', '.hea', 'a..b', '100.hea\u0000', 'con:1', '']) {
      expect(() => checkUploadName(name), name).toThrow(/refused/);
      const res = await upload([{ name, data: Buffer.from('x') }]);
      expect(res.status, name).toBe(400);
      expect(res.body.error?.code).toBe('INVALID_INPUT');
    }
    expect(checkUploadName('100.hea')).toBe('100.hea');
    expect(checkUploadName('Patient record (2).edf')).toBe('Patient record (2).edf');
    expect(stored()).toEqual([]);
  });

  it('refuses an upload over the size limit, a body that does not match its file list, and a name sent twice', async () => {
    const big = await upload([], { manifest: [{ name: 'big.edf', bytes: LIMIT + 1 }], body: Buffer.alloc(16) });
    expect(big.status).toBe(400);
    expect(big.body.error?.message).toMatch(/over the limit/);
    const short = await upload([], { manifest: [{ name: 'a.csv', bytes: 10 }], body: Buffer.alloc(4) });
    expect(short.status).toBe(400);
    const twice = await upload([{ name: 'a.csv', data: Buffer.from('1') }, { name: 'a.csv', data: Buffer.from('2') }]);
    expect(twice.body.error?.message).toMatch(/sent twice/);
    const wrongType = await upload([], { headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', 'X-Ecgatk-Files': encodeURIComponent('[{"name":"a.csv","bytes":1}]') }, body: Buffer.from('1') });
    expect(wrongType.status).toBe(400);
    expect(stored()).toEqual([]);
  });

  it('stores the files of record 100 together, byte for byte, and imports them with the normal import job', async () => {
    const parts = record100();
    const res = await upload(parts);
    expect(res.status).toBe(200);
    const { jobId, uploadId, files } = res.body.value!;
    expect(files).toEqual(['100.hea', '100.dat', '100.atr']);
    expect(stored()).toEqual([uploadId]);
    for (const p of parts) expect(sha(readFileSync(join(uploads, uploadId, p.name)))).toBe(sha(p.data));

    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(ctx.jobs.get(jobId).state); i++) await new Promise((r) => setTimeout(r, 50));
    const job = ctx.jobs.get(jobId);
    expect(job.kind).toBe('records.import');
    expect(job.state).toBe('succeeded');
    const rec = ctx.catalog.list().find((r) => r.name === '100')!;
    expect(rec.sourcePath).toBe(join(uploads, uploadId, '100.hea'));
    const ann = await readAnnotations(join(M, '100.atr'));
    expect(rec.classCounts).toMatchObject(aamiCounts(ann.annotations));
    expect(rec.numFrames).toBe(650000);
  });
});
