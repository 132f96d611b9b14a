#!/usr/bin/env bash
# Installs the Debian packages the test suite's browser test needs. Idempotent; quiet when present.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "chromium is missing; install it with: sudo apt-get install -y chromium (browser tests will skip)" >&2
  exit 0
fi
echo "installing Debian's chromium for the end-to-end browser test..." >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
