#!/usr/bin/env bash
# Installs the Debian packages the test suite needs. Idempotent; quiet when present.
set -euo pipefail

# --- postgresql: the PostgreSQL copies of the store and web tests (tests/pgcluster.py) --- begin
# Only the server binaries are used (initdb + pg_ctl on a throw-away socket cluster); no service is needed.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    echo "postgresql is missing; install it with: sudo apt-get install -y postgresql (PostgreSQL tests will skip)" >&2
  else
    echo "installing Debian's postgresql for the PostgreSQL copies of the tests..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
fi
# --- postgresql --- end

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
