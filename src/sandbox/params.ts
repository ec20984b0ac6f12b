// Query parameters as MindSphere's APIs read them, each refusal a 400 that names the parameter and the accepted form.
import { parseIsoTime } from '../core/time';
import { badRequest } from './http';

/** An ISO 8601 time parameter, or undefined when absent. */
export function timeParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const t = parseIsoTime(text);
  if (t === undefined) {
    throw badRequest(`Parameter '${name}' = '${text}' is not an ISO 8601 time; use a form such as 2024-01-31T00:00:00.000Z.`);
  }
  return t;
}

/** An integer parameter within [min, max], or `fallback` when absent. */
export function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number;
export function intParam(query: URLSearchParams, name: string, min: number, max: number): number | undefined;
export function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback?: number): number | undefined {
  const text = query.get(name);
  if (text === null) return fallback;
  if (!/^-?\d+$/.test(text.trim())) throw badRequest(`Parameter '${name}' = '${text}' is not an integer; use a whole number from ${min} to ${max}.`);
  const value = Number(text);
  if (value < min || value > max) throw badRequest(`Parameter '${name}' = ${value} is out of range: use ${min} to ${max}.`);
  return value;
}

/** A boolean parameter (`true`/`false`), or `fallback` when absent. */
export function boolParam(query: URLSearchParams, name: string, fallback = false): boolean {
  const text = query.get(name);
  if (text === null) return fallback;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw badRequest(`Parameter '${name}' = '${text}' is not a boolean; use true or false.`);
}

/** One of the allowed values, or `fallback` when absent. */
export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T;
export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined;
export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback?: T): T | undefined {
  const text = query.get(name);
  if (text === null) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw badRequest(`Parameter '${name}' = '${text}' is not allowed; use one of: ${allowed.join(', ')}.`);
  return text as T;
}

/** A comma-separated list, trimmed, without empty items; undefined when absent. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
