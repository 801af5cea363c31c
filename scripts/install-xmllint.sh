#!/usr/bin/env bash
# Installs xmllint (Debian package libxml2-utils) for scripts/check-xml-fixtures.sh, which validates every XML
# fixture against the eCH schemas in schemas/ech/. Idempotent: does nothing but print the version when it is there.
set -euo pipefail

PACKAGE=libxml2-utils

if command -v xmllint >/dev/null 2>&1; then
    xmllint --version 2>&1 | head -n 1
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "Fehler: xmllint fehlt, und zum Installieren braucht es root oder sudo." >&2
    echo "Bitte als root ausführen: apt-get install -y --no-install-recommends $PACKAGE" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT

install_package() {
    "${as_root[@]}" apt-get install -y --no-install-recommends "$PACKAGE" >"$log" 2>&1
}

# Try without refreshing the package lists first; update only if that is not enough.
if ! install_package; then
    if ! "${as_root[@]}" apt-get update >"$log" 2>&1 || ! install_package; then
        cat "$log" >&2
        echo "Fehler: Installation von $PACKAGE ist fehlgeschlagen (Ausgabe oben)." >&2
        exit 1
    fi
fi

if ! command -v xmllint >/dev/null 2>&1; then
    echo "Fehler: nach der Installation fehlt xmllint." >&2
    exit 1
fi
xmllint --version 2>&1 | head -n 1
