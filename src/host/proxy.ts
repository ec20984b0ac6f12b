// "Start API Proxy…" / "Stop API Proxy": the client's local reverse proxy (seed §7) for the active connection, so a
// widget or web component on localhost calls http://127.0.0.1:PORT/api/… and the proxy adds the token. It is shown in
// the status bar while it runs; switching connections stops it (it would otherwise lend the old connection's token).
import * as vscode from 'vscode';
import type { RunningProxy } from '../client';
import type { Services } from './services';
import { askForConnection } from './ui';
import { messageOf } from './util';

const DEFAULT_PORT = 7707; // mindconnect-nodejs's dev-proxy port

export class ProxyHost implements vscode.Disposable {
  private running: { proxy: RunningProxy; connection: string; gateway: string } | undefined;
  private readonly item = vscode.window.createStatusBarItem('mdsp.proxy', vscode.StatusBarAlignment.Left, 9);

  constructor() {
    this.item.name = 'MindSphere API Proxy';
    this.item.command = 'mdsp.stopProxy';
  }

  url(): string | undefined {
    return this.running?.proxy.url;
  }

  async start(s: Services, port?: number): Promise<string | undefined> {
    if (this.running) {
      void s.ui.info(`The API proxy already runs at ${this.running.proxy.url} for '${this.running.connection}'.`);
      return this.running.proxy.url;
    }
    const active = s.session.active();
    if (!active) {
      askForConnection(s.ui, 'the proxy adds its token to every request');
      return undefined;
    }
    const chosen = port ?? await askPort(s);
    if (chosen === undefined) return undefined;
    try {
      const client = await s.session.client(active.id);
      const { startProxy } = await import('../client');
      const proxy = await startProxy({ gateway: client.connection.gateway, tokens: client.tokens, fetch: globalThis.fetch, port: chosen,
        log: (line) => s.log.info(`[proxy] ${line}`) });
      this.running = { proxy, connection: active.name, gateway: client.connection.gateway };
    } catch (error) {
      const inUse = (error as { code?: unknown }).code === 'EADDRINUSE';
      void s.ui.error(inUse
        ? `The API proxy did not start: port ${chosen} is in use by another program. Choose another port (0 picks a free one).`
        : `The API proxy did not start: ${messageOf(error)}`);
      return undefined;
    }
    const { proxy, gateway } = this.running;
    this.item.text = `$(radio-tower) API Proxy :${proxy.port}`;
    this.item.tooltip = `Forwarding ${proxy.url}/api/… to ${gateway} with the token of '${active.name}'. Click to stop.`;
    this.item.show();
    void vscode.commands.executeCommand('setContext', 'mdsp.proxyRunning', true);
    s.log.info(`API proxy for '${active.name}' listening on ${proxy.url}`);
    void s.ui.info(`The API proxy forwards ${proxy.url}/api/… to ${gateway} with the token of '${active.name}'.`, 'Copy URL')
      .then((a) => (a ? s.ui.copy(proxy.url) : undefined));
    return proxy.url;
  }

  async stop(s: Services, reason?: string): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    this.item.hide();
    void vscode.commands.executeCommand('setContext', 'mdsp.proxyRunning', false);
    await running.proxy.close();
    s.log.info(`API proxy at ${running.proxy.url} stopped${reason ? `: ${reason}` : ''}`);
    if (reason) void s.ui.info(`The API proxy at ${running.proxy.url} stopped: ${reason}`);
  }

  dispose(): void {
    void this.running?.proxy.close();
    this.running = undefined;
    this.item.dispose();
  }
}

async function askPort(s: Services): Promise<number | undefined> {
  const text = await s.ui.input({
    title: 'Start API Proxy',
    prompt: 'Local port for the proxy (0 picks a free one). Only this machine can reach it.',
    value: String(DEFAULT_PORT),
    validateInput: (v) => (/^\d{1,5}$/.test(v.trim()) && Number(v) <= 65535 ? undefined : 'Enter a port from 0 to 65535.'),
  });
  return text === undefined ? undefined : Number(text.trim());
}

export function registerProxy(s: Services): vscode.Disposable[] {
  return [s.proxy, s.session.onDidChange(() => void s.proxy.stop(s, 'the active connection changed'))];
}
