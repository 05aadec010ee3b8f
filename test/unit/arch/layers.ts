// The layer rules of the code base, as data, and a checker over any tree. Data flows one way
// (signal files → records → beats → datasets → tensors → models → attacks → metrics → reports)
// and each folder may import only the folders listed for it: nothing imports upward.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** src-main folder → the project folders it may import (besides itself). `shared` is src-shared. */
export const LAYERS: Record<string, readonly string[]> = {
  common: [],
  config: ['common'],
  signals: ['common', 'shared'],
  beats: ['signals', 'common', 'shared'],
  store: ['common', 'config', 'shared'],
  compute: ['common', 'config', 'shared'],
  metrics: ['common', 'shared'],
  jobs: ['store', 'common', 'shared'],
  records: ['signals', 'beats', 'store', 'common', 'config', 'shared'],
  datasets: ['records', 'beats', 'signals', 'store', 'common', 'config', 'shared'],
  models: ['compute', 'datasets', 'store', 'common', 'config', 'shared'],
  attacks: ['models', 'compute', 'common', 'shared'],
  training: ['models', 'attacks', 'metrics', 'datasets', 'compute', 'store', 'common', 'config', 'shared'],
  // Audits run attacks over datasets and score them with metrics; they export through reports.
  audits: ['reports', 'models', 'attacks', 'metrics', 'datasets', 'compute', 'store', 'common', 'config', 'shared'],
  reports: ['training', 'models', 'attacks', 'metrics', 'datasets', 'records', 'compute', 'store', 'common', 'config', 'shared'],
  // The composition root knows every domain; the transports know only the core.
  app: ['audits', 'reports', 'training', 'models', 'attacks', 'metrics', 'datasets', 'records', 'beats', 'signals', 'compute', 'jobs', 'store', 'common', 'config', 'shared'],
  host: ['app', 'common', 'config', 'shared'],
  // reports: the shell prints PDFs with Electron's printer (reports/pdf.ts's hook).
  electron: ['app', 'host', 'reports', 'common', 'config', 'shared'],
  cli: ['app', 'host', 'electron', 'signals', 'common', 'config', 'shared'],
};

export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx|mts|mjs)$/.test(name) ? [p] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic imports with a literal. */
export function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g)) {
    out.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  }
  return out;
}

/** Every project file a module loads through static value imports (type-only imports load nothing). */
export function valueImportClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s*'([^']+)'|^import\s+'([^']+)'/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else seen.add(spec);
    }
  };
  visit(entry);
  return seen;
}

/** Which area a path belongs to: a src-main folder, `shared`, `renderer`, or null (outside). */
function areaOf(root: string, path: string): string | null {
  const rel = relative(root, path).split('\\').join('/');
  if (rel.startsWith('src-shared/')) return 'shared';
  if (rel.startsWith('src-renderer/')) return 'renderer';
  const m = /^src-main\/([^/]+)\//.exec(rel);
  return m ? m[1]! : null;
}

/** Every import that breaks the rules, as `file → specifier (why)`. */
export function layerViolations(root: string): string[] {
  const bad: string[] = [];
  const files = [...sourceFiles(join(root, 'src-main')), ...sourceFiles(join(root, 'src-shared')), ...sourceFiles(join(root, 'src-renderer'))];
  for (const file of files) {
    const from = areaOf(root, file)!;
    const rel = relative(root, file).split('\\').join('/');
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) {
        // Packages: only the shell touches electron; the shared contract and the renderer stay free of Node.
        if ((spec === 'electron' || spec.startsWith('electron/')) && !/^src-main\/electron\/(main|preload)\.ts$/.test(rel)) bad.push(`${rel} → ${spec} (only the Electron shell imports electron)`);
        if (from === 'shared' && spec !== 'zod') bad.push(`${rel} → ${spec} (the shared contract imports only zod)`);
        if (from === 'renderer' && (spec.startsWith('node:') || ['fs', 'path', 'child_process', 'better-sqlite3'].includes(spec) || spec.startsWith('@tensorflow/'))) bad.push(`${rel} → ${spec} (the renderer runs in a browser)`);
        if (from !== 'compute' && spec.startsWith('@tensorflow/')) bad.push(`${rel} → ${spec} (TensorFlow.js is loaded only through compute/)`);
        continue;
      }
      const to = areaOf(root, resolve(dirname(file), spec));
      if (to === null || to === from) continue;
      if (from === 'shared') bad.push(`${rel} → ${spec} (the shared contract imports nothing of the app)`);
      else if (from === 'renderer') {
        if (to !== 'shared') bad.push(`${rel} → ${spec} (the renderer imports only the shared contract)`);
      } else if (to === 'renderer') bad.push(`${rel} → ${spec} (main code never imports the renderer)`);
      else if (!(LAYERS[from] ?? []).includes(to)) bad.push(`${rel} → ${spec} (${from} may import only ${(LAYERS[from] ?? []).join(', ') || 'nothing of the project'})`);
    }
  }
  return bad;
}
