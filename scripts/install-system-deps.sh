#!/usr/bin/env bash
# Installs the Debian packages the test suite needs: chromium (browser test), tesseract-ocr and ocrmypdf
# (OCR of scanned pages), poppler-utils (pdftotext, the reference of make bench-outside), postgresql (the PostgreSQL copies of the store and web tests, run on a throw-away
# socket cluster by tests/pgcluster.py; no service is started). Idempotent; quiet when everything is present.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
command -v ocrmypdf >/dev/null 2>&1 || missing+=(ocrmypdf)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)  # make bench-outside compares with it
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "missing Debian packages: ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" \
       "(browser, OCR and PostgreSQL tests will skip)" >&2
  exit 0
fi
echo "installing Debian packages: ${missing[*]}..." >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
