#!/usr/bin/env node
// Bundles the runtime face into lib/: the AWS SDK clients it uses are inlined, so the package
// has no non-jsii runtime dependencies and `cdk-eventbridge-connector/runtime` loads from one
// file. Declarations come from `tsc -p tsconfig.runtime.json`.
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // The SDK's CommonJS builds (one file per package): esbuild's default 'module' condition would
  // pick its ESM builds, hundreds of small modules each wrapped for CommonJS, ~15% slower to load.
  conditions: ['require'],
  mainFields: ['main'],
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'linked',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Never pulled in by the runtime; listed so that a stray import fails loudly at load time
  // instead of silently bundling the construct face.
  // pkcs11js is native: users who name pkcs11: URIs install it; it is required only then.
  external: ['aws-cdk-lib', 'constructs', 'pkcs11js'],
  metafile: true,
};

const entries = [
  { in: 'src/runtime/index.ts', out: 'lib/runtime/index.js' },
  { in: 'src/local/index.ts', out: 'lib/local/index.js' },
  { in: 'src/cli.ts', out: 'lib/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // ML-DSA (@noble/post-quantum is ESM-only) as CommonJS, loaded on first use by any bundle above.
  { in: 'node_modules/@noble/post-quantum/ml-dsa.js', out: 'lib/noble-ml-dsa.js' },
];
for (const entry of entries) {
  const result = buildSync({ ...common, entryPoints: [entry.in], outfile: entry.out, banner: entry.banner });
  const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  console.log(`bundled ${entry.out} (${(bytes / 1024).toFixed(0)} KiB)`);
}
if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.runtime.json'], { stdio: 'inherit' });
}
