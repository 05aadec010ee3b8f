// The git commit the app runs from, read from the .git folder (never by spawning git): HEAD, a
// loose ref or packed-refs; a worktree's `.git` file points at its gitdir and common dir.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const read = (p: string): string | null => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
};

/** 40-hex commit of HEAD under `root`, or null when there is no repository (an installed app). */
export function gitCommit(root: string): string | null {
  let gitDir = join(root, '.git');
  try {
    if (statSync(gitDir).isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(read(gitDir) ?? '');
      if (!m) return null;
      gitDir = resolve(root, m[1]!.trim());
    }
  } catch {
    return null;
  }
  const head = read(join(gitDir, 'HEAD'))?.trim();
  if (!head) return null;
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref:\s*(.+)$/.exec(head)?.[1]?.trim();
  if (!ref) return null;
  const common = resolve(gitDir, read(join(gitDir, 'commondir'))?.trim() ?? '.');
  for (const dir of [gitDir, common]) {
    const loose = read(join(dir, ref))?.trim();
    if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
    const packed = read(join(dir, 'packed-refs'));
    const line = packed?.split('\n').find((l) => l.endsWith(` ${ref}`));
    if (line && /^[0-9a-f]{40} /.test(line)) return line.slice(0, 40);
  }
  return null;
}
