// The explorer's commands: refresh (a node or the view), load more, copy an id, reveal an asset in the hierarchy, and
// "Find Asset…", a quick pick whose items come from the tenant's server-side name filter.
import * as vscode from 'vscode';
import type { Asset } from '../../client';
import type { Services } from '../services';
import { askForConnection } from '../ui';
import { messageOf } from '../util';
import type { AssetNode, ExplorerNode, LoadMoreNode } from './nodes';
import { idOf } from './nodes';

const SEARCH_DEBOUNCE_MS = 250;

export function isNode(arg: unknown): arg is ExplorerNode {
  return typeof arg === 'object' && arg !== null && typeof (arg as { key?: unknown }).key === 'string' && 'kind' in arg;
}

export async function refresh(s: Services, arg?: unknown): Promise<void> {
  await s.explorer.refresh(isNode(arg) ? arg : undefined);
}

export async function loadMore(s: Services, arg?: unknown): Promise<void> {
  if (!isNode(arg) || arg.kind !== 'loadMore') return;
  const model = await s.explorer.current();
  await model?.loadMore(arg as LoadMoreNode);
}

export async function copyId(s: Services, arg?: unknown): Promise<string | undefined> {
  const id = isNode(arg) ? idOf(arg) : undefined;
  if (id === undefined) return undefined;
  await s.ui.copy(id);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${id}`, 3000);
  return id;
}

/** Shows an asset in the hierarchy: loads its ancestors' children along its path, then selects it. */
export async function revealAsset(s: Services, arg?: unknown): Promise<AssetNode | undefined> {
  const assetId = typeof arg === 'string' ? arg : isNode(arg) && arg.kind === 'asset' ? arg.asset.assetId : undefined;
  if (!assetId) return findAsset(s);
  const model = await s.explorer.current();
  if (!model) {
    askForConnection(s.ui);
    return undefined;
  }
  try {
    const node = await model.locate(assetId);
    await vscode.commands.executeCommand('mdsp.explorer.focus');
    await s.explorer.view?.reveal(node, { select: true, focus: true, expand: false });
    return node;
  } catch (error) {
    void s.ui.error(`Cannot reveal the asset ${assetId}: ${messageOf(error)}`);
    return undefined;
  }
}

interface AssetPick extends vscode.QuickPickItem {
  readonly assetId: string;
}

/** `timeSeries` false: the asset has no time series to chart, which its detail says (undefined: not known, nothing said). */
function pickOf(asset: Asset, timeSeries?: boolean): AssetPick {
  const path = (asset.hierarchyPath ?? []).map((p) => p.name).join(' › ') || 'root asset';
  const detail = timeSeries === false ? `${path} · no time series: its type has no dynamic aspect with numeric or boolean variables` : path;
  return { label: asset.name, description: asset.typeId, detail, assetId: asset.assetId, alwaysShow: true };
}

/** "Find Asset…": type part of a name; the tenant filters (so it scales to any number of assets); Enter reveals it. */
export async function findAsset(s: Services): Promise<AssetNode | undefined> {
  const chosen = await pickAsset(s, `Find Asset in '${s.session.active()?.name ?? ''}'`);
  return chosen ? revealAsset(s, chosen.assetId) : undefined;
}

/**
 * A quick pick of the active connection's assets, searched by name as the user types; undefined when cancelled. With
 * `timeSeries`, assets without time series stay in the list (hiding them would leave the tenant's count of matches and
 * its first page of them unexplained) but their detail says so.
 */
export async function pickAsset(s: Services, title: string, options: { timeSeries?: boolean } = {}): Promise<{ assetId: string; name: string } | undefined> {
  const model = await s.explorer.current();
  if (!model) {
    askForConnection(s.ui);
    return undefined;
  }
  const quickPick = vscode.window.createQuickPick<AssetPick>();
  quickPick.title = title;
  quickPick.placeholder = 'Type part of an asset name';
  quickPick.matchOnDescription = true;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const search = (text: string) => {
    controller?.abort();
    if (timer) clearTimeout(timer);
    if (!text.trim()) {
      quickPick.items = [];
      quickPick.busy = false;
      return;
    }
    quickPick.busy = true;
    const current = (controller = new AbortController());
    timer = setTimeout(() => {
      model.search(text, current.signal).then(
        async (page) => {
          const marks = options.timeSeries ? await Promise.all(page.items.map((a) => model.hasTimeSeries(a))) : [];
          if (current.signal.aborted) return;
          quickPick.items = page.items.map((a, i) => pickOf(a, marks[i]));
          quickPick.title = page.totalElements > page.items.length
            ? `${page.totalElements.toLocaleString('en')} assets match: showing the first ${page.items.length}; type more to narrow`
            : `${page.totalElements.toLocaleString('en')} asset${page.totalElements === 1 ? '' : 's'} match`;
          quickPick.busy = false;
        },
        (error: unknown) => {
          if (current.signal.aborted) return;
          quickPick.items = [];
          quickPick.title = `Search failed: ${messageOf(error)}`;
          quickPick.busy = false;
        },
      );
    }, SEARCH_DEBOUNCE_MS);
  };
  const chosen = await new Promise<AssetPick | undefined>((resolve) => {
    quickPick.onDidChangeValue(search);
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  controller?.abort();
  if (timer) clearTimeout(timer);
  quickPick.dispose();
  return chosen && { assetId: chosen.assetId, name: chosen.label };
}
