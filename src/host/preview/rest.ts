// "Copy the equivalent REST request": the MindSphere call behind what the panel shows, for use in a .http file, curl or
// a Mendix Call REST action. It never contains a token: the Authorization header carries a placeholder.
import { LIMITS } from '../../core/limits';
import { formatIsoTime } from '../../core/time';
import type { AggregateInterval, TimeRange } from '../../core/timerange';

export interface RestTarget {
  readonly assetId: string;
  readonly aspect: string;
  readonly variables: readonly string[];
}

export function restRequest(gateway: string, target: RestTarget, range: TimeRange, interval?: AggregateInterval): string {
  const base = gateway.replace(/\/+$/, '');
  const from = formatIsoTime(range.from);
  const to = formatIsoTime(range.to);
  const select = target.variables.join(',');
  const cap = LIMITS.maxRecordsPerRequest.value;
  if (interval) {
    const query = new URLSearchParams({ assetId: target.assetId, aspectName: target.aspect, from, to,
      intervalUnit: interval.unit, intervalValue: String(interval.value), select });
    return [
      `# Aggregates v4: ${interval.value} ${interval.unit} intervals of ${target.aspect} (at most ${cap} per response).`,
      `GET ${base}/api/iottsaggregates/v4/aggregates?${query}`,
      'Authorization: Bearer <token>',
    ].join('\n');
  }
  const path = `/api/iottimeseries/v3/timeseries/${encodeURIComponent(target.assetId)}/${encodeURIComponent(target.aspect)}`;
  const query = new URLSearchParams({ from, to, limit: String(cap), select });
  return [
    `# IoT Time Series: from is exclusive, to inclusive; at most ${cap} records per response, the rest behind the Link header (rel="next").`,
    `GET ${base}${path}?${query}`,
    'Authorization: Bearer <token>',
  ].join('\n');
}
