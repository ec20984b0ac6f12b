// What the preview tests share: the real sandbox tenant on a loopback port with the real client and the panel's
// SeriesSource over it, and a fake of the VS Code side of the panel (PreviewUi) that records what the host did.
import { createClient } from '../../src/client';
import { clientSeriesSource } from '../../src/host/preview/client-source';
import type { PreviewLog, PreviewUi, ProgressHandle } from '../../src/host/preview/controller';
import type { SeriesSource } from '../../src/host/preview/source';
import type { HostToWebview } from '../../src/protocol/preview';
import { type RequestEvent, type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/sandbox';

export interface PreviewSandbox {
  readonly sb: RunningSandbox;
  readonly client: ReturnType<typeof createClient>;
  readonly source: SeriesSource;
  /** Every request the sandbox answered. */
  readonly events: RequestEvent[];
  /** A pump of the seeded plant (its Vibration aspect has three variables with quality codes). */
  pump(): Promise<{ assetId: string; name: string }>;
  close(): Promise<void>;
}

export async function previewSandbox(options: SandboxOptions = {}): Promise<PreviewSandbox> {
  const events: RequestEvent[] = [];
  const sb = await startSandbox({ port: 0, ...options, onRequest: (e) => events.push(e) });
  const client = createClient({ connection: { name: 'sandbox', tokenUrl: sb.tokenUrl, clientId: sb.clientId, clientSecret: sb.clientSecret }, fetch });
  const source = clientSeriesSource(client, 'Sandbox');
  return {
    sb, client, source, events,
    async pump() {
      for await (const a of client.assets.list({ filter: { typeId: { endsWith: 'Pump' } } })) return { assetId: a.assetId, name: a.name };
      throw new Error('the seeded plant has no pump');
    },
    close: () => sb.close(),
  };
}

export interface FakeUi {
  readonly ui: PreviewUi;
  readonly posted: HostToWebview[];
  readonly titles: string[];
  readonly saved: { name: string; content: string; format: string }[];
  readonly copied: string[];
  /** VS Code progress notifications: their title, reports, whether they ended, and how to cancel them. */
  readonly progress: { title: string; reports: string[]; done: boolean; cancel: () => void }[];
  /** Posts of one type, in order. */
  of<T extends HostToWebview['type']>(type: T): Extract<HostToWebview, { type: T }>[];
  /** Resolves with the first post of `type` matching `where` (already posted or still to come). */
  next<T extends HostToWebview['type']>(type: T, where?: (m: Extract<HostToWebview, { type: T }>) => boolean): Promise<Extract<HostToWebview, { type: T }>>;
  /** Where the host's posts go besides `posted` (the webview, in the end-to-end tests). */
  forward?: (m: HostToWebview) => void;
}

export function fakeUi(): FakeUi {
  const waiters: { match: (m: HostToWebview) => boolean; resolve: (m: HostToWebview) => void }[] = [];
  const fake: FakeUi = {
    posted: [], titles: [], saved: [], copied: [], progress: [],
    ui: {
      post: (m) => {
        fake.posted.push(m);
        fake.forward?.(m);
        for (const w of [...waiters]) {
          if (!w.match(m)) continue;
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      },
      setTitle: (t) => void fake.titles.push(t),
      startProgress: (title, cancel): ProgressHandle => {
        const p = { title, reports: [] as string[], done: false, cancel };
        fake.progress.push(p);
        return { report: (_f, message) => void p.reports.push(message), done: () => void (p.done = true) };
      },
      save: async (name, format, pieces) => {
        fake.saved.push({ name, content: [...pieces].join(''), format });
        return `/exports/${name}`;
      },
      copy: async (text) => void fake.copied.push(text),
    },
    of: <T extends HostToWebview['type']>(type: T) => fake.posted.filter((m) => m.type === type) as Extract<HostToWebview, { type: T }>[],
    next: <T extends HostToWebview['type']>(type: T, where: (m: Extract<HostToWebview, { type: T }>) => boolean = () => true) => {
      const match = (m: HostToWebview) => m.type === type && where(m as Extract<HostToWebview, { type: T }>);
      const already = fake.posted.find(match);
      if (already) return Promise.resolve(already as Extract<HostToWebview, { type: T }>);
      return new Promise((resolve) => void waiters.push({ match, resolve: resolve as (m: HostToWebview) => void }));
    },
  };
  return fake;
}

/** A log that keeps its lines, to assert what was logged (and that no secret was). */
export function memoryLog(): PreviewLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m, e) => void lines.push(`error ${m}${e instanceof Error ? `: ${e.message}` : ''}`),
  };
}

/**
 * The source with one record whose `_time` cannot be read, carrying only Velocity, put into the first page of every raw
 * read (the preview must leave it out, count it, and keep going).
 */
export function withUnreadableTime(source: SeriesSource): SeriesSource {
  return {
    ...source,
    async *streamRaw(request, options) {
      let first = true;
      for await (const page of source.streamRaw(request, options)) {
        yield first ? [...page.slice(0, 10), { _time: 'garbage', Velocity: 1 }, ...page.slice(10)] : page;
        first = false;
      }
    },
  };
}
