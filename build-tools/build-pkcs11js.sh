#!/usr/bin/env bash
# Builds the native add-on pkcs11js (as installed in node_modules) for another Node.js release,
# as `npm install pkcs11js` does for a user on that release: node-gyp against the headers in
# <node-dir>/include/node, no download. The build goes to <node-dir>/pkcs11js/ and is reused
# while the Node and pkcs11js versions are the same. Prints the path of the built pkcs11.node.
# Usage: build-tools/build-pkcs11js.sh <node-dir>   (a directory from ensure-node-versions.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
node_dir="$(cd "${1:?usage: build-tools/build-pkcs11js.sh <node-dir>}" && pwd)"
source_dir="node_modules/pkcs11js"
[ -e "$source_dir/binding.gyp" ] || { echo "error: $source_dir is not installed: run npm ci" >&2; exit 1; }

node_version="$("$node_dir/bin/node" --version)"
pkcs11js_version="$(node -p "require('./$source_dir/package.json').version")"
build_dir="$node_dir/pkcs11js"
stamp="node $node_version pkcs11js $pkcs11js_version"
if [ -e "$build_dir/build/Release/pkcs11.node" ] && [ "$(cat "$build_dir/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$build_dir/build/Release/pkcs11.node"
  exit 0
fi

# node-gyp as npm ships it (the one `npm install` runs), under the target release's node.
npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
node_gyp="$npm_dir/node_modules/node-gyp/bin/node-gyp.js"
[ -e "$node_gyp" ] || { echo "error: cannot find node-gyp beside npm (looked for $node_gyp)" >&2; exit 1; }

rm -rf "$build_dir" && mkdir -p "$build_dir"
cp -R "$source_dir/binding.gyp" "$source_dir/src" "$source_dir/includes" "$source_dir/package.json" "$build_dir/"
if ! (cd "$build_dir" && PATH="$node_dir/bin:$PATH" "$node_dir/bin/node" "$node_gyp" rebuild --nodedir="$node_dir" --loglevel=warn >build.log 2>&1); then
  cat "$build_dir/build.log" >&2
  echo "error: cannot build pkcs11js $pkcs11js_version for Node $node_version (node-gyp output above)" >&2
  exit 1
fi
# The add-on must load in the release it was built for.
"$node_dir/bin/node" -e "require('$build_dir/build/Release/pkcs11.node')"
echo "$stamp" >"$build_dir/stamp"
echo "$build_dir/build/Release/pkcs11.node"
