#!/usr/bin/env bash
# Runs the tests of the runtime face (runtime, local services, CLI, hostile cases, the packed
# package and the demo) on Node.js releases other than the machine's: for each major version
# given (default: 22 24) it installs the release (ensure-node-versions.sh), builds pkcs11js for it
# (build-pkcs11js.sh), puts that build in node_modules for the run, and runs jest under that node;
# every process the tests spawn (process.execPath, `node`, `npm`) runs on it too.
# Needs lib/ built (`npx projen test:node-versions` builds it first). NODE_VERSIONS_TEST_PATHS
# replaces the test paths and runs them all (jest patterns: `test/local/` without the slash matches
# test/local-deploy). Each version's JUnit report goes to test-reports/node-<major>/.
set -euo pipefail
cd "$(dirname "$0")/.."
# --only-under-ci (the step of `npm test`): runs only when CI=true, as .ci/run sets it.
if [ "${1:-}" = "--only-under-ci" ]; then
  shift
  [ "${CI:-}" = "true" ] || exit 0
fi
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
read -r -a paths <<<"${NODE_VERSIONS_TEST_PATHS:-test/runtime/ test/contract/ test/local/ test/cli/ test/hostile/ test/package/ test/demo/}"
# What Node does not change runs with `npm test` only (on the machine's Node), so that every
# release fits in CI's time (measured per file; docs/development.md#nodejs-versions):
# - the README's type check (tsc) and the jsii bindings (jsii-pacmak), 70 s of the package tests,
#   and the README's construct examples type-checked, synthesized with cdk-nag and linted in the
#   consumer app (the construct face; the same test's apps that send events do run here);
# - the slow cases of our own scheduling logic against loopback endpoints or moto, whose Node
#   parts (HTTP, child processes, signals, fs) the tests that stay run on every release:
#   the throttling storm, the adaptive rate and quota convergence, 1,000 events routed by moto,
#   and the consumer's redelivery, heartbeat and logger cases.
ignore=(/node_modules/ test/package/readme.test.ts test/package/jsii-targets.test.ts
  test/hostile/throttling-storm.test.ts test/runtime/producer/adaptive-rate.test.ts test/runtime/producer/quota.test.ts
  test/runtime/put-events/moto.test.ts test/hostile/consumer-throwing-logger.test.ts
  test/hostile/consumer-no-repeats-short-visibility-under-load.test.ts test/hostile/consumer-killed-mid-handler.test.ts
  test/hostile/consumer-handler-past-max-extension.test.ts test/hostile/consumer-refused-heartbeat.test.ts)
if [ -n "${NODE_VERSIONS_TEST_PATHS:-}" ]; then ignore=(/node_modules/); fi
skip_names="^(?!the README's construct examples in the consumer app)"
# The bundles are the ones checked above: the tests do not bundle again (test/support/bundles.ts).
export CONNECTOR_TEST_BUNDLES_BUILT=1

for built in lib/index.js lib/cli.js lib/runtime/index.js .jsii; do
  [ -e "$built" ] || { echo "error: $built is missing: run npx projen compile && npx projen bundle (or npx projen test:node-versions)" >&2; exit 1; }
done

# The tests under another release load the pkcs11js built for it; the machine's build comes
# back however the run ends.
addon="node_modules/pkcs11js/build/Release/pkcs11.node"
saved=".node-versions/pkcs11.node.machine"
mkdir -p .node-versions
if [ -e "$addon" ] && ! [ -e "$saved" ]; then cp -p "$addon" "$saved"; fi
restore() { if [ -e "$saved" ]; then cp -p "$saved" "$addon" && rm -f "$saved"; fi; }
trap restore EXIT
trap 'exit 130' INT TERM

installed="$(bash build-tools/ensure-node-versions.sh "${majors[@]}")"
failed=()
summary=()
while read -r major version dir; do
  echo "== Node $version: ${paths[*]}"
  built_addon="$(bash build-tools/build-pkcs11js.sh "$dir")"
  mkdir -p "$(dirname "$addon")" && cp "$built_addon" "$addon"
  start=$SECONDS
  status=0
  PATH="$dir/bin:$PATH" JEST_JUNIT_OUTPUT_DIR="test-reports/node-$major" AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true JEST_JUNIT_REPORT_TEST_SUITE_ERRORS=true \
    "$dir/bin/node" node_modules/jest/bin/jest.js --ci --testNamePattern "$skip_names" --testPathIgnorePatterns "${ignore[@]}" -- "${paths[@]}" || status=$?
  result="$(node build-tools/test-summary.mjs "test-reports/node-$major/junit.xml" 2>/dev/null || echo "no report")"
  summary+=("Node $version: $result in $((SECONDS - start)) s$([ $status -eq 0 ] || echo " (jest exited $status)")")
  [ $status -eq 0 ] || failed+=("$version")
done <<<"$installed"

printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "error: the tests failed on Node ${failed[*]}" >&2
  exit 1
fi
