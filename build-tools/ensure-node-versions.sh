#!/usr/bin/env bash
# Installs the Node.js releases the tests run on besides the machine's own: for each major version
# given (default: 22 24), the newest release of it from the npm registry (packages
# node-<os>-<arch>, which hold bin/node and the headers native add-ons build against), into
# .node-versions/<major>/. Prints one line per version: <major> <version> <directory>.
# A version already there is kept; NODE_VERSIONS_REFRESH=1 fetches the newest again.
set -euo pipefail
cd "$(dirname "$0")/.."
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "error: no Node.js package on the npm registry for $(uname -s): install Node ${majors[*]} and run the tests with each" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "error: no Node.js package on the npm registry for $(uname -m): install Node ${majors[*]} and run the tests with each" >&2; exit 1 ;;
esac

for major in "${majors[@]}"; do
  if ! [[ "$major" =~ ^[0-9]+$ ]]; then
    echo "error: invalid Node.js major version '$major': expected a number such as 22" >&2
    exit 1
  fi
  dir=".node-versions/$major"
  if [ "${NODE_VERSIONS_REFRESH:-}" = "1" ] || ! [ -x "$dir/bin/node" ] || ! [ -e "$dir/include/node/node_api.h" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    download="$(mktemp -d)"
    if ! tarball="$(npm pack "node-$os-$arch@$major" --pack-destination "$download" --silent)"; then
      rm -rf "$download" "$dir"
      echo "error: cannot fetch node-$os-$arch@$major from the npm registry" >&2
      exit 1
    fi
    tar -xzf "$download/$tarball" -C "$dir" --strip-components=1
    rm -rf "$download"
  fi
  version="$("$dir/bin/node" --version)"
  if [ "${version%%.*}" != "v$major" ]; then
    echo "error: $dir/bin/node is $version: expected Node $major (remove $dir and run again)" >&2
    exit 1
  fi
  echo "$major $version $(pwd)/$dir"
done
