// Browser-mode uploads: the browser cannot hand the host a path, so the files of a record
// (.hea with its .dat and annotation files, or an .edf/.csv) are sent in one request and
// stored together in a fresh folder under <data folder>/uploads/, which is then imported
// by the normal import job. Framing: the body is the files' bytes one after another; the
// X-Ecgatk-Files header (URI-encoded JSON) names each file and its size, in order.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../src-shared/errors.ts';
import { UPLOAD_HEADER } from '../../src-shared/contract/index.ts';

const MAX_FILES = 1000;

export interface UploadFile {
  name: string;
  bytes: number;
}

/** A plain file name or an error naming it: no folders, no "..", nothing a file system treats specially. */
export function checkUploadName(name: string): string {
  const bad = (why: string): never => {
    throw new AppError('INVALID_INPUT', `File name ${JSON.stringify(name)} is refused: ${why}`);
  };
  if (name.length === 0 || name.length > 255) bad('it must have 1 to 255 characters');
  if (/[/\\]/.test(name)) bad('it must not contain a path separator');
  if (name.includes('..')) bad('it must not contain ".."');
  if (name.startsWith('.')) bad('it must not start with "."');
  // Control characters, and the characters Windows reserves, so the folder can be copied anywhere.
  if (/[\u0000-\u001f\u007f<>:"|?*]/.test(name)) bad('it contains a character not allowed in file names');
  if (name !== name.trim()) bad('it must not start or end with a space');
  return name;
}

/** The file list of an upload request, checked against the body size and the limit. */
export function parseUploadManifest(header: string | string[] | undefined, contentLength: string | undefined, maxBytes: number): UploadFile[] {
  if (typeof header !== 'string' || header === '') throw new AppError('INVALID_INPUT', `The ${UPLOAD_HEADER} header listing the files is missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(decodeURIComponent(header));
  } catch {
    throw new AppError('INVALID_INPUT', `The ${UPLOAD_HEADER} header is not URI-encoded JSON`);
  }
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_FILES) throw new AppError('INVALID_INPUT', `An upload holds 1 to ${MAX_FILES} files`);
  const files = raw.map((f: unknown): UploadFile => {
    const { name, bytes } = (f ?? {}) as { name?: unknown; bytes?: unknown };
    if (typeof name !== 'string' || typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) {
      throw new AppError('INVALID_INPUT', 'Each uploaded file needs a name and a whole, non-negative byte count');
    }
    return { name: checkUploadName(name), bytes };
  });
  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.name)) throw new AppError('INVALID_INPUT', `${f.name} is sent twice in one upload`);
    names.add(f.name);
  }
  const total = files.reduce((s, f) => s + f.bytes, 0);
  if (total > maxBytes) throw new AppError('INVALID_INPUT', `The upload is ${total} bytes, over the limit of ${maxBytes} bytes`);
  if (contentLength !== undefined && Number(contentLength) !== total) {
    throw new AppError('INVALID_INPUT', `The body has ${contentLength} bytes but the files add up to ${total}`);
  }
  return files;
}

/** Writes the body into a new folder under root; removes the folder again if the body does not match. */
export async function receiveUpload(body: AsyncIterable<Buffer>, files: UploadFile[], root: string): Promise<{ id: string; dir: string }> {
  const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
  const dir = join(root, id);
  await mkdir(dir, { recursive: true });
  let handle: FileHandle | null = null;
  try {
    let index = 0;
    let left = files[0]!.bytes;
    handle = await open(join(dir, files[0]!.name), 'wx');
    // Zero-byte files are created and closed straight away.
    const advance = async (): Promise<void> => {
      while (left === 0 && index < files.length) {
        await handle?.close();
        handle = null;
        index += 1;
        if (index === files.length) return;
        left = files[index]!.bytes;
        handle = await open(join(dir, files[index]!.name), 'wx');
      }
    };
    await advance();
    for await (const chunk of body) {
      let at = 0;
      while (at < chunk.length) {
        if (index >= files.length) throw new AppError('INVALID_INPUT', 'The body is longer than the files it lists');
        const take = Math.min(left, chunk.length - at);
        await handle!.write(chunk, at, take);
        at += take;
        left -= take;
        await advance();
      }
    }
    if (index < files.length) {
      throw new AppError('INVALID_INPUT', `The body ended inside ${files[index]!.name}`);
    }
    return { id, dir };
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
