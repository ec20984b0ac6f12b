import type { Services } from './services';

export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * Every command of the extension, as data: id → a factory that receives the services and returns the handler.
 * package.json's contributes.commands must list exactly these ids (a test in the real VS Code checks it).
 */
export const COMMANDS: Record<string, (s: Services) => CommandHandler> = {
  'mdsp.showLogs': (s) => () => s.log.show(),
};
