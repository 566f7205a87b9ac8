import { awscdk, javascript, JsonFile, TextFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// Files that belong to the runtime face: they are bundled by esbuild (build-tools/bundle.mjs),
// never compiled by jsii, and never import aws-cdk-lib or constructs.
const RUNTIME_SOURCES = ['src/runtime/**', 'src/local/**', 'src/cli.ts', 'src/cli/**'];

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-eventbridge-connector',
  packageName: 'cdk-eventbridge-connector',
  description:
    'AWS CDK constructs and a Node runtime client for Amazon EventBridge connectors: event bus, least-privilege role, IAM Roles Anywhere, receiving path and an SSM contract.',
  author: 'cdk-eventbridge-connector maintainers',
  authorAddress: 'maintainers@cdk-eventbridge-connector.dev',
  repositoryUrl: 'https://github.com/cdk-eventbridge-connector/cdk-eventbridge-connector.git',
  keywords: ['cdk', 'awscdk', 'eventbridge', 'roles-anywhere', 'iam-roles-anywhere', 'ssm', 'connector'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  // 2.274 is the first release whose validation plugins get the construct tree and whose
  // acknowledgements take cdk-nag rule ids that name ARNs (cdk-nag v3 needs 2.257 at least).
  cdkVersion: '2.274.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  excludeTypescript: RUNTIME_SOURCES,

  // jsii targets: Python, Java, .NET and Go users get the constructs under these names. The
  // packaging tasks need each language's toolchain; `package:code` generates all four without.
  publishToPypi: { distName: 'cdk-eventbridge-connector', module: 'cdk_eventbridge_connector' },
  publishToMaven: {
    javaPackage: 'io.github.cdkeventbridgeconnector',
    mavenGroupId: 'io.github.cdk-eventbridge-connector',
    mavenArtifactId: 'cdk-eventbridge-connector',
  },
  publishToNuget: { dotNetNamespace: 'CdkEventBridgeConnector', packageId: 'CdkEventBridgeConnector' },
  publishToGo: { moduleName: 'github.com/cdk-eventbridge-connector/cdk-eventbridge-connector-go' },

  tsconfigDevFile: 'tsconfig.dev.json',
  // `npm test` never rewrites files: eslint reports only; `npx projen eslint:fix` fixes.
  eslintOptions: { commandOptions: { fix: false }, dirs: ['src'], devdirs: ['test', 'build-tools', 'examples', 'bench'], tsconfigPath: './tsconfig.dev.json', projectService: false },
  tsconfigDev: {
    include: ['.projenrc.ts', 'examples/**/*.ts', 'build-tools/**/*.ts', 'bench/**/*.ts'],
    compilerOptions: {
      // examples/lambda's handler imports the package by name, as a user's does: type-checked
      // against the source, so no build is needed first (esbuild ignores this file and bundles
      // the package's own build through its exports map).
      paths: { 'cdk-eventbridge-connector/runtime/lambda': ['./src/runtime/lambda/index.ts'] },
    },
  },

  // The runtime's AWS SDK clients are bundled into lib/runtime by esbuild, so they are devDeps:
  // a jsii package may not carry non-jsii runtime dependencies.
  devDeps: [
    '@aws-sdk/client-eventbridge@^3.1169.0',
    '@aws-sdk/client-ssm@^3.1169.0',
    '@aws-sdk/client-sts@^3.1169.0',
    '@aws-sdk/client-cloudformation@^3.1169.0',
    '@aws-sdk/client-sqs@^3.1169.0',
    '@aws-sdk/client-secrets-manager@^3.1164.0',
    // claim check (issue 21): the runtime stores and fetches large payloads in S3 with the SDK's
    // own client (checksums, retries, streaming), loaded lazily like the others (sdk-modules.ts).
    '@aws-sdk/client-s3@^3.1175.0',
    '@smithy/signature-v4',
    '@smithy/protocol-http',
    '@smithy/types',
    // The SDK's own endpoint resolution (getEndpointFromInstructions) and JSON-RPC error-code
    // reader (loadJsonRpcErrorCode) for the lean PutEvents transport; already in the tree as the
    // EventBridge client's own dependencies, named so that their versions are the client's.
    '@smithy/core@^3.41.1',
    '@aws-sdk/core@^3.981.1',
    // SigV4a (global endpoints, issue 22): the SDK's own pure-JS signer, registered for the SDK
    // transport's PutEvents with EndpointId and the lean transport's first-request check.
    '@smithy/signature-v4a@^3.6.2',
    '@cloud-copilot/iam-simulate',
    'aws-cdk@^2',
    'cdk-nag@^3.0.2',
    'esbuild@^0.25',
    // bench/cold-start.ts only: the Lambda cold start is measured against the same handler
    // written with aws-lite (its EventBridge plugin is not published; the handler makes the raw
    // AWSEvents.PutEvents call through the client, as aws-lite documents for any service).
    '@aws-lite/client@^0.24.1',
    // Bundled into the runtime (see build-tools/bundle.mjs); chosen over our own code:
    // sqs-consumer for the queue poller, write-file-atomic for the shared credentials file,
    // proper-lockfile to serialise update's read-modify-write of that file across processes,
    // @noble/post-quantum (audited, pure JS) for ML-DSA, which Node 20's OpenSSL lacks,
    // @peculiar/x509 for certificate parsing and building, and the ASN.1 schemas it is built on
    // (@peculiar/asn1-schema, -x509), which build and read certificates synchronously.
    'sqs-consumer@^14.2.8',
    'write-file-atomic@^7.0.1',
    '@types/write-file-atomic',
    'proper-lockfile@^4.1.2',
    '@types/proper-lockfile',
    '@noble/post-quantum@^0.7.1',
    '@peculiar/x509@^2.2.0',
    '@peculiar/asn1-schema@^2.11.1',
    '@peculiar/asn1-x509@^2.11.1',
    // Native: never bundled; loaded only for pkcs11: URIs, users install it themselves.
    'pkcs11js@^2.1.7',
    // The base of test/support/temp-environment.ts (jest's own Node environment).
    'jest-environment-node@^30.5.2',
  ],

  jestOptions: {
    // No --forceExit: a test file that leaves a handle open fails, naming it
    // (test/support/temp-environment.ts), instead of holding the run or being cut short.
    // No 150-line coverage table in test output: `npx projen coverage` collects and prints it.
    coverageText: false,
    // Snapshots are never rewritten by `npm test`; `npx projen test:update` does that on purpose.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      collectCoverage: false,
      testTimeout: 60_000,
      // Two files at a time, whatever the machine: on CI's 2 cores jest's default (cores - 1)
      // runs in band, with the second core half idle while files wait on moto and child
      // processes; more than two on a bigger machine overloads those servers instead.
      maxWorkers: 2,
      // Each test file gets its own temporary folder, checked and removed when it ends; the run's
      // folder and the machine's are checked after the last (test/support/temp-environment.ts).
      testEnvironment: '<rootDir>/test/support/temp-environment.ts',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // jest's transform cache stays in the project, not in the machine's temporary folder.
      cacheDirectory: '<rootDir>/node_modules/.cache/jest',
      // The Node releases of `test:node-versions` (with headers and pkcs11js builds) are no modules.
      modulePathIgnorePatterns: ['<rootDir>/.node-versions/'],
      setupFilesAfterEnv: ['<rootDir>/test/support/cfn-lint-templates.ts'],
      snapshotSerializers: ['<rootDir>/test/support/snapshot-serializer.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
    },
  },

  gitignore: ['cdk.out', '.demo', 'bench/results', '*.tsbuildinfo', '/.node-versions/'],
  // Source maps of the bundles (7 MB) stay out of the package: the bundles keep readable names.
  npmIgnoreOptions: { ignorePatterns: ['examples/', 'bench/', 'build-tools/', 'cdk.json', '.ci/', 'docs/', '/.demo/', '/cdk.out/', '/tsconfig.runtime.json', '*.map', '/.node-versions/'] },

  bin: { 'eventbridge-connector': 'lib/cli.js' },

  githubOptions: { mergify: false, pullRequestLint: false },
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
});

// Runtime bundles and their declarations; used by `npm test` (the CLI and exports tests run
// the bundles) and by the build.
const bundle = project.addTask('bundle', {
  description: 'Bundle the runtime, the local services and the CLI with esbuild',
  exec: 'node build-tools/bundle.mjs',
});
project.postCompileTask.spawn(bundle);
project.testTask.prependSpawn(bundle);
// The SDK warns once per process that releases after January 2027 need Node 22; the lockfile
// keeps releases that run on Node 20, so in test output the warning is only noise.
project.testTask.env('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
// A test file that fails outside its tests (it does not compile, or it leaves files in the
// temporary folder) counts as a failure in the JUnit report too, so test-summary.mjs counts it.
project.testTask.env('JEST_JUNIT_REPORT_TEST_SUITE_ERRORS', 'true');
// The test task has just bundled: test files that run the bundles do not bundle again
// (test/support/bundles.ts).
project.testTask.env('CONNECTOR_TEST_BUNDLES_BUILT', '1');

// Tests rebuild the construct face too: the package tests pack and install lib/ and read .jsii.
project.testTask.prependSpawn(project.compileTask);
// A moved source file's old output would shadow the new one (lib/x.d.ts before lib/x/index.d.ts).
project.compileTask.prependExec('node build-tools/remove-stale-lib.mjs');

// `npm test` runs on the machine's Node (the oldest supported, 20); this runs the tests of the
// runtime face (runtime, CLI, local services, package, demo) on the newer releases users run,
// each installed from the npm registry with pkcs11js built for it.
const testNodeVersions = project.addTask('test:node-versions', {
  description: 'Runs the runtime, CLI, package and demo tests on Node 22 and 24 (or on the major versions given)',
});
testNodeVersions.spawn(project.compileTask);
testNodeVersions.spawn(bundle);
testNodeVersions.exec('bash build-tools/test-node-versions.sh', { receiveArgs: true });
// Under CI=true (.ci/run, GitHub Actions), `npm test` goes on to those releases, on the bundles it
// has just built; test-summary.mjs counts their reports with the machine's.
const testTaskSteps = project.testTask.steps.length;
project.testTask.insertStep(testTaskSteps, {
  name: 'test on the other Node.js releases (CI=true only)',
  // projen's own shell (dax) runs no `if`: the script checks CI itself.
  exec: 'bash build-tools/test-node-versions.sh --only-under-ci',
});
project.addTask('eslint:fix', {
  description: 'Runs eslint with --fix (the eslint task, which `npm test` runs, only reports)',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: 'eslint --ext .ts,.tsx --fix --no-error-on-unmatched-pattern src test build-tools examples bench projenrc .projenrc.ts',
  receiveArgs: true,
});
project.addTask('coverage', {
  description: 'Runs jest with coverage: the table on stdout, lcov and clover under coverage/',
  exec: 'jest --passWithNoTests --ci --coverage --coverageReporters=text --coverageReporters=lcov --coverageReporters=clover',
  receiveArgs: true,
});
// Python, Java, .NET and Go sources from the jsii assembly, without their toolchains (the
// package:<language> tasks build the artifacts on a machine that has them).
const packageCode = project.addTask('package:code', {
  description: 'Generates the Python, Java, .NET and Go bindings (sources only) into dist/code',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir dist/code',
});
const packageAll = project.tasks.tryFind('package-all');
packageAll?.reset();
packageAll?.spawn(project.tasks.tryFind('package:js')!);
packageAll?.spawn(packageCode);

project.addTask('demo', {
  description: 'Synthesize the reference app and run the runtime end to end on loopback services',
  exec: 'node build-tools/run-ts.mjs examples/demo/main.ts',
  receiveArgs: true,
});
// docs helper: the README's diagram of what gets built, generated from the reference app's
// synthesized template (build-tools/diagram.ts); test/package/diagram.test.ts fails while stale.
project.addTask('diagram', {
  description: 'Writes the diagram of what gets built into README.md and docs/architecture.md',
  exec: 'node build-tools/run-ts.mjs build-tools/write-diagram.ts',
});
project.addTask('bench', {
  description: 'Benchmark the runtime against the raw AWS SDK, side by side',
  exec: 'node build-tools/run-ts.mjs bench/main.ts',
  receiveArgs: true,
});

// Declarations for the runtime face (jsii only writes those of the construct face).
new JsonFile(project, 'tsconfig.runtime.json', {
  obj: {
    extends: './tsconfig.dev.json',
    compilerOptions: {
      rootDir: 'src',
      outDir: 'lib',
      declaration: true,
      emitDeclarationOnly: true,
      noEmit: false,
      isolatedModules: false,
      stripInternal: true,
    },
    include: ['src/runtime/index.ts', 'src/runtime/lambda/index.ts', 'src/local/index.ts'],
    exclude: ['node_modules'],
  },
});

new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'node build-tools/run-ts.mjs examples/reference/app.ts',
    output: 'cdk.out',
    context: { '@aws-cdk/core:checkSecretUsage': true },
  },
});

const pkg = project.package;
pkg.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  // `import` gets the ES module build (bundlers targeting ESM take it), everything else CommonJS.
  './runtime': { types: './lib/runtime/index.d.ts', import: './lib/runtime/index.mjs', default: './lib/runtime/index.js' },
  // PutEvents for Lambda handlers without the AWS SDK: a handler bundle carries only this path.
  './runtime/lambda': { types: './lib/runtime/lambda/index.d.ts', import: './lib/runtime/lambda/index.mjs', default: './lib/runtime/lambda/index.js' },
  './local': { types: './lib/local/index.d.ts', default: './lib/local/index.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
});
pkg.addField('typesVersions', {
  '*': {
    'runtime': ['lib/runtime/index.d.ts'],
    'runtime/lambda': ['lib/runtime/lambda/index.d.ts'],
    'local': ['lib/local/index.d.ts'],
  },
});

// The runtime face must load without the construct face: no aws-cdk-lib nor constructs, and no
// path into src/ outside the runtime's own folders and src/contract. The zone is "everything
// under src/ but these", so a new construct folder is covered without editing this list.
const RUNTIME_FOLDERS = ['./runtime', './local', './cli', './cli.ts', './contract'];
project.eslint?.addOverride({
  files: ['src/runtime/**/*.ts', 'src/local/**/*.ts', 'src/contract/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts'],
  rules: {
    'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: false }],
    'no-restricted-imports': ['error', {
      patterns: [
        { group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], message: 'the runtime and the contract never import the construct face' },
      ],
    }],
    'import/no-restricted-paths': ['error', {
      zones: [{
        target: ['./src/runtime', './src/local', './src/cli', './src/cli.ts', './src/contract'],
        from: './src',
        except: RUNTIME_FOLDERS,
        message: 'the runtime shares only src/contract with the constructs',
      }],
    }],
  },
});
// No import circle anywhere in src/ (type-only imports are not circles to eslint-plugin-import;
// test/package/import-graph.test.ts checks those of the construct face too).
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] },
});
project.eslint?.addOverride({
  files: ['examples/**/*.ts', 'bench/**/*.ts', 'build-tools/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true }] },
});

new TextFile(project, '.ci/run', {
  executable: true,
  lines: [
    '#!/usr/bin/env bash',
    '# CI on a clean clone (CI=true): the same set-up as the README, then the README\'s test command',
    '# (on the machine\'s Node, 20), then the runtime face\'s tests on Node 22 and 24. The tests fail',
    '# when they leave anything in the temporary folder (test/support/temp-environment.ts).',
    'set -euo pipefail',
    'cd "$(dirname "$0")/.."',
    'export CI=true',
    'npm ci',
    'bash build-tools/ensure-python-tools.sh',
    'bash build-tools/ensure-softhsm.sh',
    'npm test',
    'node build-tools/test-summary.mjs test-reports/junit.xml',
  ],
});

// Integ tests in the CDK convention (test/integ/integ.*.ts, assertions from integ-tests-alpha):
// 2.245.0-alpha.0 is its newest release (peer aws-cdk-lib ^2.245.0, constructs ^10.5.0, Node >= 20),
// pinned exactly as a caret range never moves to another alpha. @aws-cdk/integ-runner is not
// added: its newest release (2.197.10) bundles a toolkit that reads cloud assembly schema 53 at
// most and refuses aws-cdk-lib 2.274's (55), so test/integ/snapshots.test.ts synthesizes and
// compares the snapshots itself (offline), and maintainers deploy with the project's cdk CLI.
project.addDevDeps('@aws-cdk/integ-tests-alpha@2.245.0-alpha.0');
project.addTask('integ:update', {
  description: 'Rewrites the snapshots of the integ tests (test/integ/integ.*.ts, or those given), offline; refused under CI=true',
  exec: 'node build-tools/run-ts.mjs test/integ/update-snapshots.ts',
  receiveArgs: true,
});
// integ-runner's snapshot layout has a `cdk.out` marker file, which the `cdk.out` pattern ignores.
project.gitignore.include('/test/integ/*.snapshot/cdk.out');

// Tracing (docs/tracing.md): @opentelemetry/api is optional and never bundled: the runtime
// requires it lazily from the app's own install (src/runtime/tracing/otel.ts), only once an SDK
// has registered a provider, so an app without it, or without an SDK, loads and sends as before.
// It is not in peerDependencies: jsii refuses a peer dependency that is no jsii module ("Unable to
// locate jsii assembly"); peerDependenciesMeta names it optional for the package managers that
// read it. The SDK packages are devDeps for the tests (in-memory exporter, W3C propagator, async
// context) and bench/tracing.ts; API ~1.9 and SDK 2.x: the releases that run on Node 20.
project.addDevDeps(
  '@opentelemetry/api@~1.9.0',
  '@opentelemetry/sdk-trace-base@^2.12.1',
  '@opentelemetry/sdk-metrics@^2.12.1',
  '@opentelemetry/core@^2.12.1',
  '@opentelemetry/context-async-hooks@^2.12.1',
);
project.package.addField('peerDependenciesMeta', { '@opentelemetry/api': { optional: true } });

project.synth();
