#!/usr/bin/env bash
# Installs headless Chromium and chromedriver (Debian packages) for the browser tests in
# crates/web/tests/app/browser.rs. Idempotent: does nothing but print the versions when both are there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver
PACKAGES=(chromium chromium-driver)

show_versions() {
    "$CHROMIUM" --version
    "$CHROMEDRIVER" --version
}

if [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]]; then
    show_versions
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "Fehler: Chromium und chromedriver fehlen, und zum Installieren braucht es root oder sudo." >&2
    echo "Bitte als root ausführen: apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT

install_packages() {
    "${as_root[@]}" apt-get install -y --no-install-recommends "${PACKAGES[@]}" >"$log" 2>&1
}

# Try without refreshing the package lists first; update only if that is not enough.
if ! install_packages; then
    if ! "${as_root[@]}" apt-get update >"$log" 2>&1 || ! install_packages; then
        cat "$log" >&2
        echo "Fehler: Installation von ${PACKAGES[*]} ist fehlgeschlagen (Ausgabe oben)." >&2
        exit 1
    fi
fi

if [[ ! -x "$CHROMIUM" || ! -x "$CHROMEDRIVER" ]]; then
    echo "Fehler: nach der Installation fehlt $CHROMIUM oder $CHROMEDRIVER." >&2
    exit 1
fi
show_versions
