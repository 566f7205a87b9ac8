#!/usr/bin/env bash
# The integration tests run moto (AWS emulator), cfn-lint and the AWS CLI from the machine's
# python3. Install them when missing; fail with the instruction when that is impossible.
set -euo pipefail
need=()
python3 -c 'import moto.server' 2>/dev/null || need+=("moto[server]")
command -v cfn-lint >/dev/null 2>&1 || python3 -c 'import cfnlint' 2>/dev/null || need+=("cfn-lint")
command -v aws >/dev/null 2>&1 || need+=("awscli")
if [ ${#need[@]} -gt 0 ]; then
  echo "installing python tools: ${need[*]}"
  if ! python3 -m pip install "${need[@]}"; then
    echo "error: the tests need moto, cfn-lint and the AWS CLI: run python3 -m pip install 'moto[server]' cfn-lint awscli" >&2
    exit 1
  fi
fi
