// URL strings in code are checked too: the linter reads the string literals of .ts/.js/.java/.cs/.py files.
const gateway = process.env.MDSP_GATEWAY ?? 'https://gateway.eu1.mindsphere.io';
const dataHub = 'https://datahub.example.com/odata/mdsp_makers01/v1';

export async function lastDay(assetId: string, token: string): Promise<unknown> {
  // mdsp/page-limit: more than 2000 records per request are silently cut off
  const url = `${gateway}/api/iottimeseries/v3/timeseries/${assetId}/Flow?from=${since()}&to=${now()}&limit=10000`;
  return (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).json();
}

export function dailyFlow(assetId: string): string {
  // A clean Data Hub query built by concatenation: the linter reads `' + assetId + '` as a placeholder.
  return dataHub + "/TS_Flow_Flow_Pump?$filter=assetId eq '" + assetId +
    "' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-02T00:00:00'";
}

export async function save(axios: { post(url: string, body: unknown): Promise<unknown> }, body: unknown): Promise<unknown> {
  // mdsp/read-only: Data Hub cannot write
  return axios.post(`${dataHub}/TS_Flow_Flow_Pump`, body);
}

const since = () => new Date(Date.now() - 86_400_000).toISOString();
const now = () => new Date().toISOString();
