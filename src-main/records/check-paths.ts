// Checks typed import paths before an import starts, so a relative or missing path gets a
// message that says what to type instead of a failed job. Paths over the API are resolved
// by the service, whose working folder means nothing to the person typing.
import { stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join } from 'node:path';
import { homedir } from 'node:os';
import { IMPORTABLE } from './sources.ts';

export interface PathCheck {
  path: string;
  /** What is wrong and what to type instead; null when the path can be imported. */
  problem: string | null;
}

const KINDS = [...IMPORTABLE].join(', ');

export async function checkImportPath(path: string, home = homedir()): Promise<PathCheck> {
  const p = path.trim();
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
    return { path, problem: `"${p}" starts with ~, which is not expanded here: type the full path, such as ${join(home, p.slice(2))}` };
  }
  if (!isAbsolute(p)) {
    return { path, problem: `"${p}" is a relative path: type the full path, such as ${join(home, 'data', p)}` };
  }
  const st = await stat(p).catch(() => null);
  if (!st) return { path, problem: `${p} does not exist` };
  if (st.isFile() && !IMPORTABLE.has(extname(p).toLowerCase())) {
    return { path, problem: `${basename(p)} is not a record file: type the path of a ${KINDS} file or of a folder` };
  }
  if (!st.isFile() && !st.isDirectory()) return { path, problem: `${p} is neither a file nor a folder` };
  return { path, problem: null };
}
