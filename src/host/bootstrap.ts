// dist/extension.js, what VS Code loads: it runs the extension's bundle (dist/main.js) with V8's code cache. Compiling
// the bundle was half of the CPU time of an activation (bench/RESULTS.md, issue 8); with the cache of the previous
// start V8 skips most of it. The cache lives in the extension's global storage (per user, never in a shared folder:
// V8 trusts a cache it accepts), is named after the bundle's size and time, and V8 itself rejects one that does not fit
// the source or the V8 version; then the bundle is compiled as usual and the cache written again.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type * as vscode from 'vscode';

interface Main {
  activate(context: vscode.ExtensionContext, loading: Loading): unknown;
  deactivate?(): unknown;
}

/** How long after loading the cache is written: by then it also holds the functions compiled while activating. */
const WRITE_AFTER_MS = 3_000;

/** How the bundle was loaded, for the activation line of the extension's log. */
export interface Loading {
  /** Whether V8 compiled the bundle from the cache of an earlier start. */
  readonly codeCache: string;
  /** When reading the bundle began: wall-clock (performance.now()) and CPU time. */
  readonly start: { readonly wall: number; readonly cpu: NodeJS.CpuUsage };
}

let main: Main | undefined;

export function activate(context: vscode.ExtensionContext): unknown {
  const start = { wall: performance.now(), cpu: process.cpuUsage() };
  const loaded = loadWithCodeCache<Main>(join(__dirname, 'main.js'), context.globalStorageUri.fsPath);
  main = loaded.exports;
  return main.activate(context, { codeCache: loaded.cache, start });
}

export function deactivate(): unknown {
  return main?.deactivate?.();
}

/**
 * Runs a CommonJS bundle (it may require node's modules and `vscode` only) like require does, with a V8 code cache in
 * `cacheDir`; says whether V8 used the cache.
 */
export function loadWithCodeCache<T>(file: string, cacheDir: string, writeAfterMs = WRITE_AFTER_MS): { exports: T; cache: 'used' | 'none' | 'rejected' } {
  const source = readFileSync(file, 'utf8');
  const { size, mtimeMs } = statSync(file);
  const cacheFile = join(cacheDir, `${basename(file)}.${size}-${Math.trunc(mtimeMs)}.v8cache`);
  const cachedData = readCache(cacheFile);
  const script = new Script(wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const cache = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  if (cache !== 'used') setTimeout(() => writeCache(cacheFile, basename(file), script), writeAfterMs).unref();
  return { exports: module.exports, cache };
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined; // the first start, or a new version of the bundle
  }
}

/** Writes the cache whole or not at all (rename), and removes the caches of earlier bundles. Failing is harmless. */
function writeCache(cacheFile: string, bundleName: string, script: Script): void {
  try {
    const dir = dirname(cacheFile);
    mkdirSync(dir, { recursive: true });
    for (const old of readdirSync(dir)) if (old.startsWith(`${bundleName}.`) && old.endsWith('.v8cache')) rmSync(join(dir, old), { force: true });
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    // A read-only or full disk: the next start compiles the bundle, as without a cache.
  }
}
