#!/usr/bin/env bash
# The PKCS#11 tests sign inside a SoftHSM2 token (Debian package softhsm2). Install it when
# missing; fail with the instruction when that is impossible.
set -euo pipefail
if [ -e /usr/lib/softhsm/libsofthsm2.so ] && command -v softhsm2-util >/dev/null 2>&1; then
  exit 0
fi
echo "installing softhsm2"
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
if ! ($SUDO apt-get update && $SUDO apt-get install -y softhsm2); then
  echo "error: the PKCS#11 tests need SoftHSM2: run apt-get install -y softhsm2" >&2
  exit 1
fi
