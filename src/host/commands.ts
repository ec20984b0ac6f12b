import * as vscode from 'vscode';
import {
  addConnection, copyAccessToken, editConnection, exportDeploymentConstants, removeConnection, renameConnection, selectConnection,
  testConnection, useSandbox,
} from './connections/commands';
import { copyId, findAsset, loadMore, refresh, revealAsset } from './explorer/commands';
import { downloadContractMetadata, newContract, publishContract } from './contracts';
import { lintFeature } from './lint';
import { openSample } from './lint/sample';
import { previewTimeSeries } from './preview/feature';
import type { Services } from './services';

export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * Every command of the extension, as data: id → a factory that receives the services and returns the handler.
 * package.json's contributes.commands must list exactly these ids (a test in the real VS Code checks it).
 */
export const COMMANDS: Record<string, (s: Services) => CommandHandler> = {
  'mdsp.showLogs': (s) => () => s.log.show(),
  'mdsp.addConnection': (s) => () => addConnection(s),
  'mdsp.useSandbox': (s) => () => useSandbox(s),
  'mdsp.selectConnection': (s) => (arg) => selectConnection(s, arg),
  'mdsp.testConnection': (s) => (arg) => testConnection(s, arg),
  'mdsp.editConnection': (s) => (arg) => editConnection(s, arg),
  'mdsp.renameConnection': (s) => (arg) => renameConnection(s, arg),
  'mdsp.removeConnection': (s) => (arg) => removeConnection(s, arg),
  'mdsp.copyAccessToken': (s) => (arg) => copyAccessToken(s, arg),
  'mdsp.exportDeploymentConstants': (s) => (arg) => exportDeploymentConstants(s, arg),
  'mdsp.refresh': (s) => (arg) => refresh(s, arg),
  'mdsp.loadMore': (s) => (arg) => loadMore(s, arg),
  'mdsp.findAsset': (s) => () => findAsset(s),
  'mdsp.revealAsset': (s) => (arg) => revealAsset(s, arg),
  'mdsp.copyId': (s) => (arg) => copyId(s, arg),
  'mdsp.startProxy': (s) => (arg) => s.proxy.start(s, typeof arg === 'number' ? arg : undefined),
  'mdsp.stopProxy': (s) => () => s.proxy.stop(s),
  'mdsp.runQuery': (s) => (uri, offset) => lintFeature(s).runQuery(uri, offset),
  'mdsp.fixAll': (s) => () => lintFeature(s).fixAll(),
  'mdsp.refreshSchema': (s) => () => lintFeature(s).refreshSchema(),
  'mdsp.lintWorkspace': (s) => () => lintFeature(s).lintWorkspace(),
  'mdsp.openSample': (s) => () => openSample(s.context),
  'mdsp.newContract': (s) => (arg, selection) => newContract(s, arg, selection),
  'mdsp.publishContract': (s) => (arg) => publishContract(s, arg),
  'mdsp.downloadContractMetadata': (s) => (arg, target) => downloadContractMetadata(s, arg, target),
  'mdsp.previewTimeSeries': (s) => (arg, offset) => previewTimeSeries(s, arg, offset),
};

export function registerCommands(s: Services): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, factory]) => vscode.commands.registerCommand(id, factory(s)));
}
