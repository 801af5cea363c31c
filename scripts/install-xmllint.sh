#!/usr/bin/env bash
# Installs xmllint (Debian package libxml2-utils) for scripts/check-xml-fixtures.sh, which validates every XML
# fixture against the eCH schemas in schemas/ech/. Idempotent: does nothing but print the version when it is there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v xmllint >/dev/null 2>&1; then
    scripts/apt-install.sh libxml2-utils
fi
if ! command -v xmllint >/dev/null 2>&1; then
    echo "Fehler: nach der Installation fehlt xmllint." >&2
    exit 1
fi
xmllint --version 2>&1 | head -n 1
