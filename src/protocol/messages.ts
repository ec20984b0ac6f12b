// Messages between the extension host and the webview panels. Types only (and, later, their zod schemas): both sides
// import this file, and nothing else of each other.

/** The webview says it is ready: the host posts nothing before this arrives. */
export interface ReadyMessage {
  readonly type: 'ready';
}

export type WebviewToHost = ReadyMessage;
