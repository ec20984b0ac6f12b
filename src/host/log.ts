import * as vscode from 'vscode';
import { redact } from '../core/redact';
import { logDetail } from './log-detail';

/** The one log of the extension: a LogOutputChannel behind a redactor, so no secret is ever written to it. */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('MindSphere', { log: true });

  info(message: string): void {
    this.channel.info(redact(message));
  }

  warn(message: string): void {
    this.channel.warn(redact(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${logDetail(error)}`;
    this.channel.error(redact(message + detail));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
