// Writing a file the user named (`--out FILE`, `lint --fix`) so that a failed or interrupted write never leaves half a
// file where a good one was: a regular file is written next to itself and renamed over it only when complete. What a
// plain rename would break is kept: a symbolic link is followed (the file it points to is replaced, next to that file),
// the file's permission bits carry over, and what is not a regular file (a FIFO, /dev/null, a terminal) is written
// directly, since renaming over it would put a plain file in place of the pipe or device.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, readlink, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export interface Replacement {
  write(chunk: string | Uint8Array): Promise<void>;
  /** Makes the new content final: the target is replaced only now. */
  commit(): Promise<void>;
  /** Drops what was written; the target stays as it was. */
  abort(): Promise<void>;
}

/** Linux's limit on links followed in one path: a cycle of links ends with an error instead of a loop. */
const MAX_LINKS = 40;

/** The file `path` ends at once its symbolic links are followed; for a dangling link, the missing file it points to. */
async function followLinks(path: string): Promise<string> {
  for (let i = 0; i < MAX_LINKS; i++) {
    // The link's folder with its own links resolved: a relative link target counts from where the link really is.
    const real = join(await realpath(dirname(path)), basename(path));
    const target = await readlink(real).catch(() => undefined); // not a link, or not there (yet)
    if (target === undefined) return real;
    path = resolve(dirname(real), target);
  }
  throw new Error(`too many levels of symbolic links at ${path}`);
}

/** Opens `path` for writing new content; the content replaces the file's only on commit (see the top of this file). */
export async function openReplacement(path: string): Promise<Replacement> {
  // Opened as named when not a regular file: the system follows links such as /dev/stdout → /proc/self/fd/1 → pipe:[…]
  // that name no path.
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile()) return streamReplacement(await opened(createWriteStream(path)), async () => {}, async () => {});
  const target = await followLinks(path);
  const temp = `${target}.partial-${process.pid}`;
  const mode = existing ? existing.mode & 0o7777 : undefined;
  // Created with the file's mode (less what the umask takes), so a private file's new content is never readable by
  // more people than the old, not even while it is written; the exact bits are set before the rename.
  const stream = await opened(createWriteStream(temp, mode === undefined ? {} : { mode: mode & 0o777 }));
  return streamReplacement(stream, async () => {
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, target);
  }, () => rm(temp, { force: true }));
}

/** Writes `content` to `path` as openReplacement does: all of it, or nothing and the file as it was. */
export async function replaceFile(path: string, content: string | Uint8Array): Promise<void> {
  const replacement = await openReplacement(path);
  try {
    await replacement.write(content);
    await replacement.commit();
  } catch (error) {
    await replacement.abort();
    throw error;
  }
}

async function opened(stream: WriteStream): Promise<WriteStream> {
  await once(stream, 'open');
  return stream;
}

function streamReplacement(stream: WriteStream, finish: () => Promise<void>, discard: () => Promise<void>): Replacement {
  let failure: Error | undefined;
  stream.on('error', (e) => {
    failure ??= e; // reported by the next write or the commit, not as an uncaught exception
  });
  const closed = () => new Promise<void>((res, rej) => stream.end((e?: Error | null) => (e ?? failure ? rej(e ?? failure) : res())));
  return {
    async write(chunk) {
      if (failure) throw failure;
      if (chunk.length && !stream.write(chunk)) await once(stream, 'drain');
    },
    async commit() {
      await closed();
      await finish();
    },
    async abort() {
      stream.destroy();
      await discard();
    },
  };
}
