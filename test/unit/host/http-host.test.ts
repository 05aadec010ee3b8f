// Browser-mode transport: loopback only, per-launch token, Origin/Host checks, contract validation.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInProcessCore, type Core } from '../../../src-main/app/core.ts';
import { startHttpHost, type HttpHost } from '../../../src-main/host/http-host.ts';
import { tempApp } from '../../helpers.ts';
import type { AppContext } from '../../../src-main/app/context.ts';

let host: HttpHost;
let core: Core;
let cleanup: () => void;
let ctx: AppContext;

beforeAll(async () => {
  const t = await tempApp();
  cleanup = t.cleanup;
  ctx = t.ctx;
  const renderer = join(t.dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(t.dir, 'secret.txt'), 'do not serve');
  core = createInProcessCore(t.ctx);
  host = await startHttpHost({ core, rendererDir: renderer, port: 0 });
});
afterAll(async () => {
  await host.close();
  cleanup();
});

interface Res {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const auth = (): Record<string, string> => ({ Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' });
const call = (op: string, payload: unknown, headers = auth()): Promise<Res> => send(`/api/call/${op}`, { method: 'POST', headers, body: JSON.stringify(payload) });

describe('loopback HTTP host', () => {
  it('listens on 127.0.0.1 and puts the token only in the URL fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    expect(host.launchUrl).toBe(`${host.url}#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
  });

  it('answers a valid call with the token', async () => {
    const res = await call('settings.get', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { backend: 'auto' } });
  });

  it('refuses a missing token', async () => {
    const res = await call('settings.get', {}, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a wrong token', async () => {
    const res = await call('settings.get', {}, { Authorization: `Bearer ${'x'.repeat(host.token.length)}`, 'Content-Type': 'application/json' });
    expect(res.status).toBe(401);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const res = await call('settings.get', {}, { ...auth(), Origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.message).toContain('evil.example');
  });

  it('accepts its own Origin', async () => {
    const res = await call('settings.get', {}, { ...auth(), Origin: `http://127.0.0.1:${host.port}` });
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await call('settings.get', {}, { ...auth(), Host: `attacker.example:${host.port}` });
    expect(res.status).toBe(403);
  });

  it('rejects an invalid payload with 400 and a clear message, changing nothing', async () => {
    const res = await call('settings.update', { defaultBeatLength: -3 });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.message).toMatch(/defaultBeatLength/);
    const after = JSON.parse((await call('settings.get', {})).body);
    expect(after.value.defaultBeatLength).toBe(280);
  });

  it('rejects malformed JSON and a wrong content type', async () => {
    const bad = await send('/api/call/settings.get', { method: 'POST', headers: auth(), body: '{not json' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(/not valid JSON/);
    const text = await send('/api/call/settings.get', { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(400);
  });

  it('rejects an unknown operation with 404', async () => {
    const res = await call('records.delete-everything', {});
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe('UNKNOWN_OPERATION');
  });

  it('serves the renderer with a CSP and never files outside its folder', async () => {
    const index = await send('/');
    expect(index.status).toBe(200);
    expect(String(index.headers['content-security-policy'])).toContain("default-src 'self'");
    const spa = await send('/records');
    expect(spa.status).toBe(200);
    const escape = await send('/../secret.txt');
    expect(escape.body).not.toContain('do not serve');
    const encoded = await send('/%2e%2e/secret.txt');
    expect(encoded.body).not.toContain('do not serve');
  });

  it('streams job events to a token holder and refuses the stream without a token', async () => {
    const refused = await send('/api/events');
    expect(refused.status).toBe(401);
    const messages: string[] = [];
    const gotDone = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Authorization: `Bearer ${host.token}` } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const line of chunk.split('\n')) if (line.startsWith('data: ')) messages.push(line.slice(6));
          if (messages.some((m) => JSON.parse(m).job.state === 'succeeded')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const result = { backend: 'cpu' as const, steps: 1, firstLoss: 1, lastLoss: 0.5, decreased: true, msPerStep: 1 };
    ctx.jobs.register('compute.selfTest', async (_params, job) => {
      job.progress(0.5, 'half way', { step: 1, loss: 0.5 });
      return result;
    });
    const id = ctx.jobs.start('compute.selfTest', { steps: 1 });
    await gotDone;
    const parsed = messages.map((m) => JSON.parse(m) as { type: string; job: { id: string; state: string; result?: unknown } });
    expect(parsed.every((e) => e.type === 'job' && e.job.id === id)).toBe(true);
    expect(parsed.at(-1)?.job.result).toEqual(result);
  });
});
