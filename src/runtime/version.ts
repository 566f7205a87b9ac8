/** The package's version, for the user agent and the tracer's and meter's scope. */
// The bundles carry `{ version }` alone of package.json (build-tools/bundle.mjs, versionOnly).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = (require('../../package.json') as { version: string }).version;
