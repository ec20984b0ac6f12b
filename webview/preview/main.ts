import type { WebviewToHost } from '../../src/protocol/messages';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost): void => vscode.postMessage(message);

// The handshake: the host waits for this before it posts anything.
post({ type: 'ready' });
