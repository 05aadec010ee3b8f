// `ecgatk jobs`: the persisted job registry, shared with the app.
import { parseArgs } from 'node:util';
import type { CoreClient, Io } from './client.ts';
import type { JobStatus } from '../../src-shared/contract/index.ts';

function line(j: JobStatus): string {
  const pct = `${Math.round(j.progress * 100)}%`.padStart(4);
  return `${j.id}  ${j.kind.padEnd(19)} ${j.state.padEnd(11)} ${pct}  ${j.createdAt.replace('T', ' ').slice(0, 19)}  ${j.message}${j.state === 'interrupted' && j.resumable ? '  (resumable: ecgatk jobs resume <id>)' : ''}`;
}

export async function cmdJobs(api: CoreClient, args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'cancel' || sub === 'resume') {
    if (rest.length !== 1) {
      io.err(`usage: ecgatk jobs ${sub} <id>`);
      return 2;
    }
    const s = await api.call(sub === 'cancel' ? 'jobs.cancel' : 'jobs.resume', { id: rest[0]! });
    io.out(line(s));
    return 0;
  }
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, limit: { type: 'string' } } });
  const list = await api.call('jobs.list', { limit: values.limit === undefined ? 50 : Number(values.limit) });
  if (values.json) io.out(JSON.stringify(list, null, 2));
  else if (list.length === 0) io.out('no jobs yet');
  else for (const j of list) io.out(line(j));
  return 0;
}
