#!/usr/bin/env node
// Bundles the runtime face into lib/. The package has no non-jsii runtime dependencies, so the
// AWS SDK and the other libraries the runtime uses are inlined, once:
//
//   lib/runtime/index.js    CommonJS: the runtime, the AWS SDK and every library it uses, also
//                           handed to the bundles below (`__shared`, which is not public API)
//   lib/runtime/aws-sdk-extra.js  CommonJS: the SDK clients only /local and the CLI use (the
//                           CloudFormation client...), their SDK core taken from index.js
//   lib/local/index.js      CommonJS: /local's own code; takes the SDK, the libraries and the
//   lib/cli.js              runtime's modules from the two above (one copy in a process)
//   lib/runtime/index.mjs   ES module build of /runtime (the exports map's `import` condition),
//                           from the SDK's ES module builds: no `require` of a built-in anywhere,
//                           so an app bundled by esbuild to ESM or CommonJS runs
//   lib/runtime/lambda/index.js, .mjs  /runtime/lambda, on its own: PutEvents for Lambda handlers
//                           with none of the SDK (test/runtime/lambda/bundle.test.ts checks it),
//                           so a handler bundle carries only the sending path
//
// Not minified: names and lines stay readable in stack traces. The bundled SDK's Node-version
// warning is switched off in our copy only (see silenceNodeVersionWarning).
// Declarations come from `tsc -p tsconfig.runtime.json`.
//
// Extra chunks and externals: add to CHUNKS a module that should load lazily from a file of its
// own (the runtime then `require`s or `import()`s it inside the function that needs it), and to
// EXTERNALS a package users install themselves (native addons); see the two lists below.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const EXTRA_OUT = 'lib/runtime/aws-sdk-extra.js';
const RUNTIME_SRC = join(REPO, 'src', 'runtime') + sep;

/**
 * Packages never bundled: the construct face (listed so that a stray import fails loudly at load
 * time instead of silently bundling it) and native addons users install themselves, e.g.
 * 'pkcs11js' (required inside the function that needs it, so a missing addon fails only there),
 * and '@opentelemetry/api', the optional peer dependency the tracing loads from the user's install.
 */
const EXTERNALS = ['aws-cdk-lib', 'constructs', 'pkcs11js', '@opentelemetry/api'];

/**
 * Modules bundled into a file of their own under lib/runtime/chunks/, loaded when first used:
 * `{ name: 'ml-dsa', in: 'src/runtime/credentials/ml-dsa.ts' }` writes lib/runtime/chunks/ml-dsa.js
 * (and .mjs), and every bundle's import of that source file becomes an import of the chunk.
 * Load it with `await import('./ml-dsa')` inside the function that needs it: that works from both
 * builds (a `require` of it fails the build, since the ES module build could not run it).
 * ESM-only libraries (@noble/post-quantum) are fine: esbuild converts them. A chunk bundles its
 * own dependencies, so keep the AWS SDK out of chunks (it would be a second copy).
 */
const CHUNKS = [];

const common = {
  absWorkingDir: REPO,
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'linked',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
  // Readable bundles: identifiers and line structure kept; only dead branches dropped.
  minifySyntax: false,
  keepNames: true,
};

const cjs = {
  ...common,
  format: 'cjs',
  // The SDK's CommonJS builds (one file per package): esbuild's default 'module' condition would
  // pick its ESM builds, hundreds of small modules each wrapped for CommonJS, ~15% slower to load.
  conditions: ['require'],
  mainFields: ['main'],
};

const esm = {
  ...common,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  // The SDK's ES module builds import Node's built-ins; its CommonJS builds would `require` them,
  // which esbuild can only turn into a shim that throws in an ES module.
  conditions: ['import', 'module'],
  mainFields: ['module', 'main'],
  // What the runtime loads lazily from beside its bundle (lib/noble-ml-dsa.js, pkcs11js from the
  // package's folder) it finds from __dirname/__filename; an ES module has them as import.meta's.
  define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
};

/**
 * The AWS SDK warns once per process that its releases after January 2027 need Node 22. Our
 * copy is pinned by our lockfile and users cannot act on the warning, so the bundled copy starts
 * with the warning marked as already emitted. The user's own SDK copy (and its environment
 * variable AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) is untouched. Fails the build if
 * the SDK changes the code this relies on.
 */
const silenceNodeVersionWarning = {
  name: 'silence-node-version-warning',
  setup(b) {
    const files = /[\\/]@aws-sdk[\\/]core[\\/]dist-(cjs[\\/]submodules[\\/]client[\\/]index|es[\\/]submodules[\\/]client[\\/]emitWarningIfUnsupportedVersion)\.js$/;
    b.onLoad({ filter: files, namespace: 'file' }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const pattern = /(state = \{\s*warningEmitted: )false(,?\s*\})/;
      if (!pattern.test(source)) {
        throw new Error(`the AWS SDK's Node-version warning moved: no 'state = { warningEmitted: false }' in ${args.path}`);
      }
      return { contents: source.replace(pattern, '$1true$2'), loader: 'js' };
    });
  },
};

/**
 * The package's package.json as `{ version }` alone: the lean transport names the version in its
 * user agent, and a Lambda handler's bundle should not carry the whole manifest for it.
 */
const versionOnly = {
  name: 'package-version-only',
  setup(b) {
    const manifest = join(REPO, 'package.json');
    b.onLoad({ filter: /[\\/]package\.json$/, namespace: 'file' }, (args) => {
      if (resolve(args.path) !== manifest) return undefined;
      return { contents: JSON.stringify({ version: JSON.parse(readFileSync(manifest, 'utf8')).version }), loader: 'json' };
    });
  },
};

/**
 * From Node 22 on, node:http has lazy getters (WebSocket, CloseEvent, MessageEvent) that load
 * undici and with it node:tls, and an ES module's `import ... from 'node:http'` reads every export
 * of a built-in: each ES module build would load node:tls (about 20 ms of a Lambda cold start) for
 * an http endpoint too, as test/runtime/lambda/https-endpoint.test.ts found on Node 22 and 24. The
 * ES module builds take node:http as CommonJS does (process.getBuiltinModule, else createRequire),
 * exporting its plain values only (a bundled import of a getter fails the build with "No matching
 * export"). Re-bundled to CommonJS by an app, import.meta is empty, so the path createRequire
 * starts from falls back to the root (test/runtime/lambda/app-bundles.test.ts,
 * test/hostile/handler-bundled-to-commonjs-or-with-a-create-require-banner.test.ts).
 */
const httpWithoutLazyExports = {
  name: 'http-without-lazy-exports',
  setup(b) {
    b.onResolve({ filter: /^(node:)?http$/ }, () => ({ path: 'node:http', namespace: 'http-without-lazy-exports' }));
    b.onLoad({ filter: /.*/, namespace: 'http-without-lazy-exports' }, () => {
      const names = Object.entries(Object.getOwnPropertyDescriptors(require('node:http')))
        .filter(([name, descriptor]) => 'value' in descriptor && /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default')
        .map(([name]) => name);
      return {
        contents: [
          // Not the name `createRequire`: an app's ESM bundle that starts with the usual banner
          // (`import { createRequire } from 'module'; const require = createRequire(...)`) and is
          // not minified would declare it twice, a SyntaxError at load.
          "import { createRequire as createRequireOfHttp } from 'node:module';",
          // process.getBuiltinModule (Node 20.16, 22.3) first; a consumer's esbuild that bundles
          // this build to CommonJS (NodejsFunction's default format) leaves import.meta empty, and
          // a built-in resolves from any absolute path.
          "const http = process.getBuiltinModule?.('node:http') ?? createRequireOfHttp(typeof import.meta.url === 'string' ? import.meta.url : '/')('node:http');",
          'export default http;',
          `export const { ${names.join(', ')} } = http;`,
        ].join('\n'),
        loader: 'js',
        resolveDir: REPO,
      };
    });
  },
};

/** Marks EXTERNALS and CHUNKS external, the latter as a relative path from `outfile`. */
function chunksAndExternals(outfile, extension) {
  const chunkPaths = new Map(CHUNKS.map((chunk) => [resolve(REPO, chunk.in), chunk]));
  return {
    name: 'chunks-and-externals',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.chunks || args.kind === 'entry-point') return undefined;
        const name = packageName(args.path);
        if (name && EXTERNALS.includes(name)) return { path: args.path, external: true };
        if (chunkPaths.size === 0 || !args.path.startsWith('.')) return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { chunks: true } });
        const chunk = chunkPaths.get(resolved.path);
        if (!chunk || resolve(REPO, outfile) === chunkOut(chunk, extension)) return undefined;
        return { path: relativeImport(outfile, chunkOut(chunk, extension)), external: true };
      });
    },
  };
}

function chunkOut(chunk, extension) {
  return join(REPO, 'lib', 'runtime', 'chunks', `${chunk.name}${extension}`);
}

function packageName(request) {
  if (request.startsWith('.') || request.startsWith('/') || request.startsWith('node:')) return undefined;
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function relativeImport(fromFile, toFile) {
  const path = relative(dirname(resolve(REPO, fromFile)), toFile).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * For /local and the CLI: every package and every runtime module they import comes from the
 * runtime bundle's `__shared`, so a process that loads /runtime, /local and the CLI has one AWS
 * SDK (one warning state, one credential cache, one copy of each class for `instanceof`).
 * Packages the runtime does not bundle itself (the CloudFormation client...) come from
 * lib/runtime/aws-sdk-extra.js, which takes what it shares with the runtime from it in turn: the
 * runtime bundle does not grow (nor its load time) with what only /local and the CLI use.
 * Packages are keyed by the file they resolve to, so a nested copy is never mistaken for another.
 */
function shareWithRuntime(outfile, runtimeFiles, wanted, { extra = true } = {}) {
  const runtimeBundle = relativeImport(outfile, join(REPO, 'lib', 'runtime', 'index.js'));
  const extraBundle = relativeImport(outfile, join(REPO, EXTRA_OUT));
  return {
    name: 'share-with-runtime',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.path === runtimeBundle || args.path === extraBundle) return { path: args.path, external: true };
        if (args.pluginData?.shared || args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
        const name = packageName(args.path);
        if (name && (EXTERNALS.includes(name) || isBuiltin(name))) return undefined;
        if (!name && (!args.importer.startsWith(REPO) || args.importer.startsWith(RUNTIME_SRC) || args.importer.includes(`${sep}node_modules${sep}`))) return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { shared: true } });
        if (resolved.errors.length > 0 || resolved.external) return undefined;
        const key = relative(REPO, resolved.path).split(sep).join('/');
        if (name) {
          if (runtimeFiles.has(resolved.path)) {
            wanted.packages.add(key);
            return { path: key, namespace: 'shared-package' };
          }
          if (!extra) return undefined; // bundled here: this is the extra bundle itself
          wanted.extra.add(key);
          return { path: key, namespace: 'extra-package' };
        }
        if (!resolved.path.startsWith(RUNTIME_SRC)) return undefined;
        wanted.modules.add(key);
        return { path: key, namespace: 'shared-module' };
      });
      b.onLoad({ filter: /.*/, namespace: 'shared-package' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(runtimeBundle)}).__shared.packages[${JSON.stringify(args.path)}]();`,
        loader: 'js',
      }));
      b.onLoad({ filter: /.*/, namespace: 'extra-package' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(extraBundle)}).packages[${JSON.stringify(args.path)}]();`,
        loader: 'js',
      }));
      b.onLoad({ filter: /.*/, namespace: 'shared-module' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(runtimeBundle)}).__shared.modules[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

const BUILTINS = new Set((await import('node:module')).builtinModules);
function isBuiltin(name) {
  return BUILTINS.has(name);
}

/** The runtime entry, plus `__shared`: packages as lazy getters (each loads on first use). */
function runtimeEntry(wanted) {
  const modules = [...wanted.modules].sort();
  const packages = [...wanted.packages].sort();
  return [
    "export * from './src/runtime/index';",
    ...modules.map((module, i) => `import * as module${i} from './${module.replace(/\.ts$/, '')}';`),
    '/** @internal what lib/local/index.js and lib/cli.js take from this bundle; not public API */',
    'export const __shared = {',
    `  modules: { ${modules.map((module, i) => `${JSON.stringify(module)}: module${i}`).join(', ')} },`,
    `  packages: { ${packages.map((key) => `${JSON.stringify(key)}: () => require(${JSON.stringify(`./${key}`)})`).join(', ')} },`,
    '};',
  ].join('\n');
}

function report(result, label) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.map') || file.endsWith('.LEGAL.txt')) continue;
    console.log(`bundled ${file} (${(output.bytes / 1024).toFixed(0)} KiB)${label ? ` ${label}` : ''}`);
  }
}

// 0. The files the runtime bundles on its own (what /local and the CLI can take from it).
const probe = await build({
  ...cjs, entryPoints: ['src/runtime/index.ts'], outfile: 'lib/runtime/index.js', write: false, logLevel: 'error',
  plugins: [silenceNodeVersionWarning, chunksAndExternals('lib/runtime/index.js', '.js')],
});
const runtimeFiles = new Set(Object.keys(probe.metafile.inputs).filter((file) => !file.includes(':')).map((file) => resolve(REPO, file)));

// 1. /local and the CLI, recording what they take from the runtime bundle and the extra one.
const wanted = { packages: new Set(), modules: new Set(), extra: new Set() };
const dependents = [
  { in: 'src/local/index.ts', out: 'lib/local/index.js' },
  { in: 'src/cli.ts', out: 'lib/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // ML-DSA (@noble/post-quantum is ESM-only) as CommonJS, loaded on first use by any bundle above.
  { in: 'node_modules/@noble/post-quantum/ml-dsa.js', out: 'lib/noble-ml-dsa.js' },
];
const dependentResults = await Promise.all(dependents.map((entry) => build({
  ...cjs,
  entryPoints: [entry.in],
  outfile: entry.out,
  banner: entry.banner,
  plugins: [silenceNodeVersionWarning, chunksAndExternals(entry.out, '.js'), shareWithRuntime(entry.out, runtimeFiles, wanted)],
})));

// 1b. What only /local and the CLI use, taking what it shares with the runtime from it.
const extra = [...wanted.extra].sort();
const extraResult = await build({
  ...cjs,
  stdin: {
    contents: `export const packages = { ${extra.map((key) => `${JSON.stringify(key)}: () => require(${JSON.stringify(`./${key}`)})`).join(', ')} };`,
    resolveDir: REPO, sourcefile: 'aws-sdk-extra.ts', loader: 'ts',
  },
  outfile: EXTRA_OUT,
  plugins: [silenceNodeVersionWarning, chunksAndExternals(EXTRA_OUT, '.js'), shareWithRuntime(EXTRA_OUT, runtimeFiles, wanted, { extra: false })],
});

// 2. The runtime bundle (CommonJS, with `__shared`) and its ES module build, and the chunks.
const runtimeCjs = build({
  ...cjs,
  stdin: { contents: runtimeEntry(wanted), resolveDir: REPO, sourcefile: 'runtime-bundle.ts', loader: 'ts' },
  outfile: 'lib/runtime/index.js',
  plugins: [silenceNodeVersionWarning, chunksAndExternals('lib/runtime/index.js', '.js')],
});
const runtimeEsm = build({
  ...esm,
  entryPoints: ['src/runtime/index.ts'],
  outfile: 'lib/runtime/index.mjs',
  plugins: [httpWithoutLazyExports, silenceNodeVersionWarning, chunksAndExternals('lib/runtime/index.mjs', '.mjs')],
});
const chunks = CHUNKS.flatMap((chunk) => [
  build({ ...cjs, entryPoints: [chunk.in], outfile: chunkOut(chunk, '.js'), plugins: [silenceNodeVersionWarning, chunksAndExternals(chunkOut(chunk, '.js'), '.js')] }),
  build({ ...esm, entryPoints: [chunk.in], outfile: chunkOut(chunk, '.mjs'), plugins: [httpWithoutLazyExports, silenceNodeVersionWarning, chunksAndExternals(chunkOut(chunk, '.mjs'), '.mjs')] }),
]);
const lambda = [
  build({ ...cjs, entryPoints: ['src/runtime/lambda/index.ts'], outfile: 'lib/runtime/lambda/index.js', plugins: [versionOnly, chunksAndExternals('lib/runtime/lambda/index.js', '.js')] }),
  build({ ...esm, entryPoints: ['src/runtime/lambda/index.ts'], outfile: 'lib/runtime/lambda/index.mjs', plugins: [httpWithoutLazyExports, versionOnly, chunksAndExternals('lib/runtime/lambda/index.mjs', '.mjs')] }),
];
const [cjsResult, esmResult, ...chunkAndLambdaResults] = await Promise.all([runtimeCjs, runtimeEsm, ...chunks, ...lambda]);
for (const result of [cjsResult, esmResult, ...dependentResults, extraResult, ...chunkAndLambdaResults]) report(result);

// An ES module that calls esbuild's `__require` shim for a built-in throws "Dynamic require of
// ... is not supported" when loaded: fail here instead. And one that binds `createRequire` (or
// `require`) at its top level: an app's ES module bundle of it that is not minified keeps the name,
// and the banner such bundles usually start with (`import { createRequire } from 'module'; const
// require = createRequire(import.meta.url);`) declares it too, a SyntaxError at load; import it
// under another name.
for (const file of ['lib/runtime/index.mjs', 'lib/runtime/lambda/index.mjs', ...CHUNKS.map((chunk) => chunkOut(chunk, '.mjs'))]) {
  const text = readFileSync(resolve(REPO, file), 'utf8');
  const dynamic = [...text.matchAll(/\b__require\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]);
  if (dynamic.length > 0) throw new Error(`${file} requires ${[...new Set(dynamic)].join(', ')}: ES module builds must import them`);
  const bound = [...text.matchAll(/^import \{([^}]*)\} from "(?:node:)?module";$/gm)].flatMap((m) => m[1].split(',').map((name) => name.trim()))
    .filter((name) => name === 'createRequire' || name.endsWith(' as createRequire'));
  if (bound.length > 0 || /^(?:var|let|const) require\b/m.test(text)) throw new Error(`${file} binds createRequire or require at its top level: an app's banner declares them`);
}

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.runtime.json'], { cwd: REPO, stdio: 'inherit' });
}
