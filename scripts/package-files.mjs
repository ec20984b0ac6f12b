// The files the packaged .vsix holds, from the one list that decides it: .vscodeignore, a whitelist (`**`, then a `!`
// line for each thing to put back). `npm start` installs exactly these into code-server, so what works there (the
// rules' pages that diagnostics link to, the walkthrough, the schemas) is what a user's install has.
//
// vsce computes the same list (test/unit/package-contents.test.ts checks that they agree), but it walks the whole
// project, .vscode-test/ and node_modules/ included, which takes seconds; this walks only the folders a `!` line names.
import fs from 'node:fs';
import path from 'node:path';

/** vsce's reading of a pattern (minimatch, `dot: true`): `**` any depth, `*` and `?` within one path segment. */
function globToRegExp(glob) {
  const source = glob.replace(/\*\*\/|\*\*|\*|\?|[.+^${}()|[\]\\]/g, (t) =>
    t === '**/' ? '(?:.*/)?' : t === '**' ? '.*' : t === '*' ? '[^/]*' : t === '?' ? '[^/]' : `\\${t}`);
  return new RegExp(`^${source}$`);
}

function walk(root, dir, out) {
  const full = path.join(root, dir);
  const info = fs.statSync(full, { throwIfNoEntry: false });
  if (info?.isFile()) out.add(dir);
  else if (info?.isDirectory()) for (const e of fs.readdirSync(full)) walk(root, `${dir}/${e}`, out);
}

/** The packaged files under `root`, as paths relative to it with `/`, sorted. */
export function packagedFiles(root) {
  const lines = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (!lines.includes('**')) throw new Error('.vscodeignore is expected to be a whitelist: `**`, then a `!` line for each thing the package holds.');
  // vsce always packs package.json and the README; a pattern without a `*` in its last segment may name a folder.
  const kept = [...lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1)), 'package.json', 'README.md'];
  const patterns = kept.flatMap((p) => (/(^|\/)[^/]*\*[^/]*$/.test(p) ? [p] : [p, `${p.replace(/\/$/, '')}/**`])).map(globToRegExp);
  const candidates = new Set();
  for (const p of kept) {
    const fixed = p.split('/').filter(Boolean);
    const glob = fixed.findIndex((s) => /[*?[{]/.test(s));
    walk(root, (glob < 0 ? fixed : fixed.slice(0, glob)).join('/') || '.', candidates);
  }
  return [...candidates].map((f) => f.replace(/^\.\//, '')).filter((f) => patterns.some((re) => re.test(f))).sort();
}

/** Copies the packaged files of `root` into `target` (emptied first), as installing the .vsix lays them out. */
export function installPackagedFiles(root, target) {
  fs.rmSync(target, { force: true, recursive: true });
  for (const file of packagedFiles(root)) fs.cpSync(path.join(root, file), path.join(target, file));
}
