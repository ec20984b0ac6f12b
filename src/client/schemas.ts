// Response shapes of the MindSphere APIs the client uses (API §1.3–1.5), as zod schemas. Objects are loose: MindSphere
// adds fields over time and a new field must not break a maker's tool. Only what the client and its callers rely on is
// required, so a response that lacks it fails with a message naming the field.
import { z } from 'zod';
import { CLIENT_ERROR_CODES, MindSphereError } from './errors';

const link = z.looseObject({ href: z.string() });
const links = z.record(z.string(), link.optional()).optional();

export const variableValueSchema = z.looseObject({ name: z.string(), value: z.unknown().optional() });

export const assetSchema = z.looseObject({
  assetId: z.string(),
  name: z.string(),
  typeId: z.string(),
  parentId: z.string().nullish(),
  tenantId: z.string().optional(),
  externalId: z.string().nullish(),
  description: z.string().nullish(),
  timezone: z.string().nullish(),
  twinType: z.string().nullish(),
  etag: z.union([z.number(), z.string()]).optional(),
  variables: z.array(variableValueSchema).optional(),
  aspects: z.array(z.looseObject({ name: z.string() })).optional(),
  hierarchyPath: z.array(z.looseObject({ assetId: z.string(), name: z.string() })).optional(),
  _links: links,
});
export type Asset = z.infer<typeof assetSchema>;

export const variableDefinitionSchema = z.looseObject({
  name: z.string(),
  dataType: z.string(),
  unit: z.string().nullish(),
  searchable: z.boolean().optional(),
  length: z.number().nullish(),
  defaultValue: z.unknown().optional(),
  qualityCode: z.boolean().nullish(),
});
export type VariableDefinition = z.infer<typeof variableDefinitionSchema>;

export const aspectTypeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  scope: z.string().optional(),
  description: z.string().nullish(),
  tenantId: z.string().optional(),
  etag: z.union([z.number(), z.string()]).optional(),
  variables: z.array(variableDefinitionSchema),
  _links: links,
});
export type AspectType = z.infer<typeof aspectTypeSchema>;

export const assetTypeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  parentTypeId: z.string().nullish(),
  description: z.string().nullish(),
  instantiable: z.boolean().optional(),
  scope: z.string().optional(),
  tenantId: z.string().optional(),
  etag: z.union([z.number(), z.string()]).optional(),
  aspects: z.array(z.looseObject({ name: z.string(), aspectType: aspectTypeSchema.partial().extend({ id: z.string() }).loose().optional() })).optional(),
  variables: z.array(variableDefinitionSchema).optional(),
  _links: links,
});
export type AssetType = z.infer<typeof assetTypeSchema>;

/** An aspect of an asset (`GET /assets/{id}/aspects`). */
export const assetAspectSchema = z.looseObject({
  name: z.string(),
  aspectTypeId: z.string().optional(),
  holderAssetId: z.string().optional(),
  category: z.string().optional(),
  description: z.string().nullish(),
  variables: z.array(variableDefinitionSchema).optional(),
});
export type AssetAspect = z.infer<typeof assetAspectSchema>;

/** A variable of an asset (`GET /assets/{id}/variables`): a definition plus where it comes from. */
export const assetVariableSchema = variableDefinitionSchema.extend({
  aspectName: z.string().optional(),
  value: z.unknown().optional(),
}).loose();
export type AssetVariable = z.infer<typeof assetVariableSchema>;

export const pageInfoSchema = z.looseObject({
  size: z.number(),
  totalElements: z.number(),
  totalPages: z.number(),
  number: z.number(),
});

/**
 * Refuses a HAL page other than the one asked for: a server or proxy that drops the `page` parameter would otherwise
 * hand back the first page again and again, and a list would repeat its items without end.
 */
export function checkPageNumber(page: { number: number } | undefined, asked: number, path: string): void {
  if (page && page.number !== asked) {
    throw new MindSphereError({ status: 200, request: { method: 'GET', path }, code: CLIENT_ERROR_CODES.invalidResponse,
      serverMessage: `asked for page ${asked} of the list, the server answered page ${page.number}; the list was not read further` });
  }
}

/** A HAL list: items under `_embedded.<key>`, absent when the list is empty (Spring HAL, API §1.3). */
export function halPageSchema<T extends z.ZodType>(key: string, item: T) {
  return z.looseObject({
    _embedded: z.looseObject({ [key]: z.array(item) }).optional(),
    page: pageInfoSchema.optional(),
    _links: links,
  });
}

/** One time-series record: `_time` plus the aspect's variables (and `<var>_qc` quality codes). */
export type TimeSeriesRecord = { readonly _time: string } & Readonly<Record<string, unknown>>;

/**
 * A page of records: an array of objects with a string `_time`. Checked in place rather than with z.array(z.looseObject):
 * zod copies every object it parses, which for 2000-record pages cost as much CPU as JSON.parse and doubled the garbage.
 */
export const timeSeriesPageSchema = z.unknown().superRefine((page, ctx) => {
  if (!Array.isArray(page)) {
    ctx.addIssue({ code: 'custom', path: [], message: `expected an array of records, received ${describe(page)}` });
    return;
  }
  for (let i = 0; i < page.length; i++) {
    const record: unknown = page[i];
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      ctx.addIssue({ code: 'custom', path: [i], message: `expected a record (an object), received ${describe(record)}` });
      return;
    }
    const time = (record as { _time?: unknown })._time;
    if (typeof time !== 'string') {
      ctx.addIssue({ code: 'custom', path: [i, '_time'], message: `expected a string, received ${describe(time)}` });
      return;
    }
  }
}) as unknown as z.ZodType<TimeSeriesRecord[]>;

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

export const aggregateValueSchema = z.looseObject({
  countgood: z.number().optional(),
  countuncertain: z.number().optional(),
  countbad: z.number().optional(),
  sum: z.number().nullish(),
  average: z.number().nullish(),
  minvalue: z.unknown().optional(),
  maxvalue: z.unknown().optional(),
  firstvalue: z.unknown().optional(),
  lastvalue: z.unknown().optional(),
  sd: z.number().nullish(),
});

/** One interval of aggregates v4: data with timestamps > starttime and ≤ endtime, one object per variable. */
export type Aggregate = { readonly starttime: string; readonly endtime: string } & Readonly<Record<string, unknown>>;

export const aggregatesResponseSchema = z.looseObject({
  aggregates: z.array(z.looseObject({ starttime: z.string(), endtime: z.string() })),
}) as unknown as z.ZodType<{ aggregates: Aggregate[] }>;
