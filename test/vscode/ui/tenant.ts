// A sandbox tenant for the explorer's scale tests, shared by the UI scenarios (loaded through tsx), the in-host suites
// (bundled by esbuild) and the explorer benchmark: the seeded plant's widest node has a few dozen children, so one
// area gets `wide` more through the Asset Management API, as a maker's tenant might have.
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../../src/sandbox';

/** Where a tenant answers and its binding keys. */
export interface TenantAddress {
  readonly url: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface NamedAsset {
  readonly assetId: string;
  readonly name: string;
}

export interface WideTenant extends RunningSandbox {
  readonly site: NamedAsset;
  /** The area that got the extra children ("Sensor 0001"…). */
  readonly area: NamedAsset;
}

/** A bearer token for direct calls (setting up test data). */
export async function tokenOf(t: TenantAddress): Promise<string> {
  const basic = Buffer.from(`${t.clientId}:${t.clientSecret}`).toString('base64');
  const response = await fetch(`${t.tokenUrl}?grant_type=client_credentials`, { method: 'POST', headers: { Authorization: `Basic ${basic}` } });
  if (response.status !== 200) throw new Error(`the token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Adds `count` assets of `typeId` named "Sensor 0001"… under the first area (by name) of the first site. */
export async function widenFirstArea(t: TenantAddress, typeId: string, count: number): Promise<{ site: NamedAsset; area: NamedAsset }> {
  const headers = { Authorization: `Bearer ${await tokenOf(t)}`, 'Content-Type': 'application/json' };
  const api = `${t.url}/api/assetmanagement/v3`;
  const firstChild = async (parentId: string): Promise<NamedAsset> => {
    const filter = encodeURIComponent(JSON.stringify({ parentId }));
    const page = (await (await fetch(`${api}/assets?size=1&sort=name,asc&filter=${filter}`, { headers })).json()) as { _embedded?: { assets: NamedAsset[] } };
    const first = page._embedded?.assets[0];
    if (!first) throw new Error(`asset ${parentId} has no children`);
    return { assetId: first.assetId, name: first.name };
  };
  const root = (await (await fetch(`${api}/assets/root`, { headers })).json()) as NamedAsset;
  const site = await firstChild(root.assetId);
  const area = await firstChild(site.assetId);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const response = await fetch(`${api}/assets`, { method: 'POST', headers,
        body: JSON.stringify({ name: `Sensor ${String(i + 1).padStart(4, '0')}`, typeId, parentId: area.assetId }) });
      if (response.status !== 201) throw new Error(`creating a child asset failed: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { site, area };
}

/** Starts a sandbox tenant (on a free port unless given) with `wide` extra children under one area. */
export async function startTenant({ wide, ...options }: SandboxOptions & { wide: number }): Promise<WideTenant> {
  const sandbox = await startSandbox({ port: 0, ...options });
  try {
    return { ...sandbox, ...(await widenFirstArea(sandbox, `${sandbox.tenant}.Pump`, wide)) };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
