// Runs the preview panel's real bundle in headless Chromium, as VS Code would: the same HTML (src/host/preview/html.ts,
// with its CSP and nonce) served from a loopback HTTP server, a stub `acquireVsCodeApi` loaded as a file (no inline
// script), messages to the host collected here, and messages from the host posted to the page's window. Typed arrays
// cross as base64 and arrive as typed arrays, as VS Code's postMessage delivers them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newNonce, previewHtml } from '../../src/host/preview/html';
import type { HostToWebview, ViewState, WebviewToHost } from '../../src/protocol/preview';

const ROOT = join(__dirname, '..', '..');

/** The flags the brief asks for: no sandbox (containers), no GPU, nothing fetched from the network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let bundleDir: Promise<string> | undefined;

/** Builds webview/preview/main.ts like esbuild.js does, into a temporary folder (once per process). */
export function buildBundle(): Promise<string> {
  bundleDir ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'mdsp-webview-'));
    await build({
      entryPoints: [{ in: join(ROOT, 'webview/preview/main.ts'), out: 'preview' }], outdir, bundle: true, platform: 'browser',
      format: 'iife', target: 'es2022', minify: true, logLevel: 'warning', loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    });
    return outdir;
  })();
  return bundleDir;
}

// The stub VS Code API: posts go to `__toHost` (bound by the harness), state lives in the page and starts from the
// `state` query parameter (what VS Code hands a restored webview).
const STUB = `(() => {
  const saved = new URLSearchParams(location.search).get('state');
  let state = saved ? JSON.parse(saved) : undefined;
  const typed = { Float64Array, Float32Array, Uint8Array, Uint32Array, Int32Array };
  const decode = (v) => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      if (v.__typed) {
        const bytes = Uint8Array.from(atob(v.b64), (c) => c.charCodeAt(0));
        return new typed[v.__typed](bytes.buffer);
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
    }
    return v;
  };
  window.__fromHost = (m) => window.postMessage(decode(m), '*');
  window.__stage = (m) => { window.__message = decode(m); };
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__toHost(m),
    getState: () => state,
    setState: (s) => { state = s; },
  });
})();`;

const THEMES: Record<string, { body: string; vars: Record<string, string> }> = {
  dark: { body: 'vscode-dark', vars: { foreground: '#cccccc', 'editor-background': '#1e1e1e', 'charts-blue': '#3794ff', 'charts-orange': '#d18616',
    'charts-foreground': '#cccccc', 'charts-lines': '#cccccc80', 'editorError-foreground': '#f14c4c', 'editorWarning-foreground': '#cca700',
    focusBorder: '#007fd4', 'font-family': 'sans-serif', 'font-size': '13px' } },
  light: { body: 'vscode-light', vars: { foreground: '#3b3b3b', 'editor-background': '#ffffff', 'charts-blue': '#1a85ff', 'charts-orange': '#d18616',
    'charts-foreground': '#616161', 'charts-lines': '#61616180', 'editorError-foreground': '#e51400', 'editorWarning-foreground': '#bf8803',
    focusBorder: '#0090f1', 'font-family': 'sans-serif', 'font-size': '13px' } },
  'high-contrast': { body: 'vscode-high-contrast', vars: { foreground: '#ffffff', 'editor-background': '#000000', 'charts-blue': '#3794ff',
    'charts-orange': '#d18616', 'charts-foreground': '#ffffff', 'charts-lines': '#ffffff', 'editorError-foreground': '#f48771',
    'editorWarning-foreground': '#ffd370', focusBorder: '#f38518', contrastBorder: '#6fc3df', 'font-family': 'sans-serif', 'font-size': '13px' } },
};

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

function encode(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    return { __typed: value.constructor.name, b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

export interface Harness {
  readonly browser: Browser;
  readonly origin: string;
  open(options?: { state?: ViewState; theme?: keyof typeof THEMES; width?: number; height?: number }): Promise<PanelPage>;
  close(): Promise<void>;
}

/** One panel in its own page: what it sent to the host, and a way to answer it. */
export class PanelPage {
  readonly sent: WebviewToHost[] = [];
  readonly dialogs: string[] = [];
  private readonly waiters: { match: (m: WebviewToHost) => boolean; resolve: (m: WebviewToHost) => void }[] = [];
  /** Where messages to the host go besides `sent` (a PreviewController, in the end-to-end tests). */
  onMessage: ((m: WebviewToHost) => void) | undefined;

  constructor(readonly page: Page) {}

  received(message: WebviewToHost): void {
    this.sent.push(message);
    for (const w of [...this.waiters]) {
      if (w.match(message)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
    this.onMessage?.(message);
  }

  /** The first message of that type matching `where`, already sent or still to come. */
  waitFor<T extends WebviewToHost['type']>(type: T, where: (m: Extract<WebviewToHost, { type: T }>) => boolean = () => true,
    timeoutMs = 5000): Promise<Extract<WebviewToHost, { type: T }>> {
    const match = (m: WebviewToHost) => m.type === type && where(m as Extract<WebviewToHost, { type: T }>);
    const already = this.sent.find(match);
    if (already) return Promise.resolve(already as Extract<WebviewToHost, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${type}' message from the webview within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => { clearTimeout(timer); resolve(m as Extract<WebviewToHost, { type: T }>); } });
    });
  }

  async post(message: HostToWebview): Promise<void> {
    await this.page.evaluate((m) => (globalThis as unknown as { __fromHost(m: unknown): void }).__fromHost(m), encode(message));
  }

  /**
   * Plays the host's part up to the first load by hand (for tests that post exact data): a catalog of one pump whose
   * Vibration aspect has one variable, Velocity in mm/s. Resolves with the panel's load request.
   */
  async answerCatalog(): Promise<Extract<WebviewToHost, { type: 'load' }>> {
    await this.waitFor('ready');
    const assetId = 'a'.repeat(32);
    await this.post({ type: 'init', connection: 'Test', selection: { assetId, aspect: 'Vibration' },
      defaultRange: 'hour', presets: [{ id: 'hour', label: 'Last hour', ms: 3_600_000 }], aggregateUnits: [] });
    await this.post({ type: 'assets', assets: [{ assetId, name: 'Pump', path: 'Plant' }] });
    const list = await this.waitFor('listAspects');
    await this.post({ type: 'aspects', requestId: list.requestId, assetId, aspects: [{ name: 'Vibration',
      variables: [{ name: 'Velocity', unit: 'mm/s', dataType: 'DOUBLE', qualityCode: true }] }] });
    return this.waitFor('load');
  }

  /** Puts a message in the page as `window.__message` without posting it (benchmarks time the posting). */
  async stage(message: HostToWebview): Promise<void> {
    await this.page.evaluate((m) => (globalThis as unknown as { __stage(m: unknown): void }).__stage(m), encode(message));
  }

  state(): Promise<ViewState | undefined> {
    return this.page.evaluate(() => (globalThis as unknown as { acquireVsCodeApi(): { getState(): ViewState | undefined } }).acquireVsCodeApi().getState());
  }

  violations(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as { __violations: string[] }).__violations);
  }

  close(): Promise<void> {
    return this.page.close();
  }
}

export async function startHarness(): Promise<Harness> {
  const dir = await buildBundle();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/') {
        const theme = THEMES[url.searchParams.get('theme') ?? 'dark'] ?? THEMES.dark!;
        const html = previewHtml({
          cspSource: origin, nonce: newNonce(),
          scripts: [`/stub.js`, '/dist/preview.js'],
          styles: ['/dist/preview.css', '/media/preview.css', `/theme.css?theme=${url.searchParams.get('theme') ?? 'dark'}`],
        }).replace('<body>', `<body class="${theme.body}">`);
        return send(200, 'text/html', html);
      }
      if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
      if (url.pathname === '/stub.js') return send(200, 'text/javascript', STUB);
      if (url.pathname === '/theme.css') {
        const theme = THEMES[url.searchParams.get('theme') ?? 'dark'] ?? THEMES.dark!;
        return send(200, 'text/css', `:root {\n${Object.entries(theme.vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n')}\n}\n`);
      }
      if (url.pathname.startsWith('/dist/')) {
        const file = join(dir, url.pathname.slice('/dist/'.length).replace(/\.\./g, ''));
        return send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
      }
      if (url.pathname === '/media/preview.css') return send(200, 'text/css', readFileSync(join(ROOT, 'media', 'preview.css')));
      send(404, 'text/plain', 'not found');
    } catch (error) {
      send(500, 'text/plain', String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    browser,
    origin,
    async open({ state, theme = 'dark', width = 1200, height = 900 } = {}) {
      const page = await browser.newPage({ viewport: { width, height } });
      const panel = new PanelPage(page);
      page.on('dialog', (d) => {
        panel.dialogs.push(d.message());
        void d.dismiss();
      });
      await page.exposeFunction('__toHost', (m: WebviewToHost) => panel.received(m));
      const query = new URLSearchParams({ theme, ...(state ? { state: JSON.stringify(state) } : {}) });
      await page.goto(`${origin}/?${query}`);
      return panel;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
