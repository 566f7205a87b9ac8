/**
 * The one door to `@opentelemetry/api`, an optional peer dependency the bundles never carry: it
 * is required from the user's own install, and only once an OpenTelemetry SDK has registered a
 * tracer or meter provider. Before that (or without the package) nothing is loaded and each
 * check is two property reads.
 */
// Not bound as `createRequire`: the banner of an app's ES module bundle declares that name (build-tools/bundle.mjs checks).
import { createRequire as createRequireOfApi } from 'node:module';
import { join } from 'node:path';
import type * as OtelApiModule from '@opentelemetry/api';
import { reportTracingError } from './guard';
import { SCOPE } from './names';
import { VERSION } from '../version';

export type OtelApi = typeof OtelApiModule;
type Tracer = OtelApiModule.Tracer;

/**
 * Where every copy of the API of major version 1 keeps its registered providers (the API's own
 * `Symbol.for('opentelemetry.js.api.1')` global), shared across copies so that an SDK set up
 * through the app's copy is seen by ours. Read directly so that an app without an SDK loads nothing.
 */
const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

interface OtelGlobal {
  readonly trace?: unknown;
  readonly metrics?: unknown;
}

/** A variable, so that esbuild leaves the require to run time instead of bundling the package. */
const PACKAGE = '@opentelemetry/api';

/** `undefined` until first needed, `null` when the package cannot be loaded. */
let api: OtelApi | null | undefined;

function registered(): OtelGlobal | undefined {
  return (globalThis as { [GLOBAL_KEY]?: OtelGlobal })[GLOBAL_KEY];
}

/** The API when an SDK registered a tracer provider (tracing is on), else `undefined`. */
export function tracingApi(): OtelApi | undefined {
  return registered()?.trace === undefined ? undefined : load();
}

/** The API when an SDK registered a meter provider, else `undefined`. */
export function metricsApi(): OtelApi | undefined {
  return registered()?.metrics === undefined ? undefined : load();
}

/** The tracer of the provider registered now: made once per registration (the global's identity). */
let cachedTracer: { readonly registration: unknown; readonly tracer: Tracer } | undefined;

export function tracer(otel: OtelApi): Tracer {
  const registration = registered()?.trace;
  if (cachedTracer === undefined || cachedTracer.registration !== registration) {
    cachedTracer = { registration, tracer: otel.trace.getTracer(SCOPE, VERSION) };
  }
  return cachedTracer.tracer;
}

/**
 * Loads the API once an SDK registered a provider. When it cannot be loaded, tracing is off for
 * the process, and that is the warning: an app whose bundler put the API (with its SDK) inside its
 * bundle has no copy beside this package, and would otherwise lose every span without a word.
 */
function load(): OtelApi | undefined {
  if (api === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time, never bundled
    api = requireApi(() => require(PACKAGE)) ?? requireApi(() => {
      // The ES module build has no `require` (esbuild's stand-in throws): Node's own loader,
      // resolving from the installed package's folder (`__filename` is import.meta's there).
      const from = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
      return createRequireOfApi(from)(PACKAGE);
    }) ?? null;
    if (api === null) {
      reportTracingError(new Error(`${PACKAGE} cannot be loaded from beside this package (a bundled app keeps it out of its bundle): nothing is traced`));
    }
  }
  return api ?? undefined;
}

/** The module `load` gives, or `undefined` when it throws (not installed, or no `require` here). */
function requireApi(loader: () => unknown): OtelApi | undefined {
  try {
    const loaded = loader() as OtelApi | undefined;
    return typeof loaded?.trace?.getTracer === 'function' ? loaded : undefined;
  } catch {
    return undefined;
  }
}
