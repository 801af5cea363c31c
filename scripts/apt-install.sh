#!/usr/bin/env bash
# Installs Debian packages for the project's own tools (used by install-browser.sh and install-xmllint.sh):
# as root, or through sudo; tries without refreshing the package lists first and updates them only if that is
# not enough. Prints the apt output only when it fails.
#
#   scripts/apt-install.sh PACKAGE...
set -euo pipefail

if [[ "$(id -u)" -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "Fehler: zum Installieren von $* braucht es root oder sudo." >&2
    echo "Bitte als root ausführen: apt-get install -y --no-install-recommends $*" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT

install_packages() {
    "${as_root[@]}" apt-get install -y --no-install-recommends "$@" >"$log" 2>&1
}

if ! install_packages "$@"; then
    if ! "${as_root[@]}" apt-get update >"$log" 2>&1 || ! install_packages "$@"; then
        cat "$log" >&2
        echo "Fehler: Installation von $* ist fehlgeschlagen (Ausgabe oben)." >&2
        exit 1
    fi
fi
