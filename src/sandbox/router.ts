// A small router: each API of the sandbox is one module (a prefix, an error family and its routes), so adding an API is
// adding one module to the list in index.ts. Paths use `{name}` for one segment; routes are tried in order, so a fixed
// segment (`/assets/root`) is listed before a parameter (`/assets/{id}`).
import type { ErrorFamily, Exchange } from './http';
import type { SandboxContext } from './context';

/** HEAD is a read; MERGE is OData v3's partial update, which Data Hub refuses like the other writes. */
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'MERGE' | 'DELETE';

export interface Route {
  readonly method: Method;
  readonly path: string;
  /** Any one of these scopes admits the caller; undefined means the route needs no bearer token. */
  readonly scopes?: readonly string[];
  handle(x: Exchange, ctx: SandboxContext): Promise<void> | void;
}

export interface ApiModule {
  readonly name: string;
  /** Path prefix owned by the module; unknown paths under it get 404 in its error family. */
  readonly prefix: string;
  readonly family: ErrorFamily;
  readonly routes: readonly Route[];
}

export interface Match {
  readonly module: ApiModule;
  readonly route?: Route;
  readonly params: Record<string, string>;
  /** Methods the path supports (for 405 and its Allow header). */
  readonly allowed: readonly Method[];
}

interface CompiledRoute {
  module: ApiModule;
  route: Route;
  segments: string[];
}

function split(path: string): string[] {
  return path.split('/').slice(1);
}

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(private readonly modules: readonly ApiModule[]) {
    this.compiled = modules.flatMap((module) => module.routes.map((route) => ({ module, route, segments: split(route.path) })));
  }

  match(method: string, pathname: string): Match | undefined {
    // `/assets/` and `/assets` are the same resource; an empty segment elsewhere (`//api`) matches nothing.
    const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    const segments = split(path);
    const allowed: Method[] = [];
    let found: { module: ApiModule; route: Route; params: Record<string, string> } | undefined;
    let headAsGet: typeof found;
    let pathModule: ApiModule | undefined;
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, segments);
      if (!params) continue;
      pathModule ??= c.module;
      if (!allowed.includes(c.route.method)) allowed.push(c.route.method);
      if (!found && c.route.method === method) found = { module: c.module, route: c.route, params };
      // HEAD is GET without the body (RFC 9110 §9.3.2; Node leaves the body out): every GET route answers it.
      if (!headAsGet && method === 'HEAD' && c.route.method === 'GET') headAsGet = { module: c.module, route: c.route, params };
    }
    if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.splice(allowed.indexOf('GET') + 1, 0, 'HEAD');
    found ??= headAsGet;
    if (found) return { ...found, allowed };
    const module = pathModule ?? this.modules.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
    return module ? { module, params: {}, allowed } : undefined;
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const a = actual[i]!;
    if (p.startsWith('{') && p.endsWith('}')) {
      if (a === '') return undefined;
      let value: string;
      try {
        value = decodeURIComponent(a);
      } catch {
        value = a;
      }
      params[p.slice(1, -1)] = value;
    } else if (p !== a) return undefined;
  }
  return params;
}
