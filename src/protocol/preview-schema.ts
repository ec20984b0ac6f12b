// zod schemas of what the preview webview sends to the host. The host validates every inbound message with these before
// acting on it: a webview is a web page, and its messages are input like any other. The TypeScript types of these
// messages are inferred from the schemas (one description, not two); the webview imports the types only, so zod never
// reaches its bundle.
import { z } from 'zod';
import { AGGREGATE_UNITS, LIMITS } from '../core/limits';
import { RANGE_PRESET_IDS } from '../core/timerange';

const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Aspect and variable names: MindSphere allows letters, digits and `_`; the limit is generous, the pattern is not. */
const name = z.string().regex(/^[A-Za-z0-9_]{1,128}$/, 'Aspect and variable names are 1–128 letters, digits or _.');
const assetId = z.string().regex(LIMITS.assetIdPattern.value, 'Asset ids are 32 lowercase hexadecimal characters.');

export const rangeSpecSchema = z.union([
  z.strictObject({ preset: z.enum(RANGE_PRESET_IDS) }),
  z.strictObject({ from: z.string().max(40), to: z.string().max(40) }),
]);

export const intervalChoiceSchema = z.union([
  z.literal('auto'),
  z.strictObject({ unit: z.enum(AGGREGATE_UNITS.value.map((r) => r.unit)), value: z.number().int().positive() }),
]);

/** Which aggregate fields to draw: average line, min/max band, sum line, count of records. */
export const AGGREGATE_FIELDS = ['average', 'minmax', 'sum', 'count'] as const;

export const seriesQuerySchema = z.strictObject({
  assetId,
  aspect: name,
  variables: z.array(name).min(1, 'Pick at least one variable.').max(20, 'Pick at most 20 variables at once.'),
  range: rangeSpecSchema,
  mode: z.enum(['raw', 'aggregate']),
  interval: intervalChoiceSchema,
  fields: z.array(z.enum(AGGREGATE_FIELDS)).max(AGGREGATE_FIELDS.length),
});

export const webviewToHostSchema = z.discriminatedUnion('type', [
  /** The webview has loaded and listens: the host posts nothing before this. */
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('listAspects'), requestId, assetId }),
  z.strictObject({
    type: z.literal('load'),
    requestId,
    query: seriesQuerySchema,
    /** Width of the plot in CSS pixels: the host posts at most a few points per pixel. */
    widthPx: z.number().int().min(1).max(16_384),
    /**
     * `load` fetches afresh. `zoom` asks for a window of what is loaded, and `restore` for what the webview showed
     * before VS Code rebuilt it: the host may answer both from what it holds at full resolution.
     */
    reason: z.enum(['load', 'zoom', 'restore']),
  }),
  z.strictObject({ type: z.literal('cancel'), requestId }),
  z.strictObject({ type: z.literal('export'), format: z.enum(['csv', 'json']) }),
  z.strictObject({ type: z.literal('copyRequest'), query: seriesQuerySchema }),
]);

export type WebviewToHost = z.infer<typeof webviewToHostSchema>;
export type SeriesQuery = z.infer<typeof seriesQuerySchema>;
export type IntervalChoice = z.infer<typeof intervalChoiceSchema>;
export type AggregateFieldChoice = (typeof AGGREGATE_FIELDS)[number];

/** What the panel serializer needs of the saved view state (the rest belongs to the webview). */
export const savedStateSchema = z.looseObject({
  selection: z.looseObject({ assetName: z.string().max(512), aspect: z.string().max(128) }).optional(),
});

/** Parses an inbound message; on failure the reason names the field, for the log. */
export function parseWebviewMessage(message: unknown): { ok: true; message: WebviewToHost } | { ok: false; reason: string } {
  const r = webviewToHostSchema.safeParse(message);
  if (r.success) return { ok: true, message: r.data };
  return { ok: false, reason: r.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') };
}
