#!/usr/bin/env bash
# Installs what the browser tests need on Debian 12 when it is missing: Debian's Chromium (never a
# downloaded browser), fonts, sqlite3, poppler-utils and zbar-tools, Node.js with npm, then this folder's node_modules via
# `npm ci`. Idempotent and silent when everything is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi

missing=()
# poppler-utils and zbar-tools: codes.test.js reads the PDF slips (pdftotext, pdftoppm) and their QR codes (zbarimg).
for package in chromium fonts-liberation fonts-dejavu-core sqlite3 poppler-utils zbar-tools; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Node.js may come from elsewhere (NodeSource's nodejs bundles npm); only the commands matter.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing packages for the browser tests: ${missing[*]}"
  if [ ${#as_root[@]} -gt 0 ] && ! command -v sudo >/dev/null; then
    echo "error: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  "${as_root[@]}" apt-get update -q >/dev/null
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp="$here/node_modules/.package-lock.json"
if [ ! -d "$here/node_modules" ] || [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
