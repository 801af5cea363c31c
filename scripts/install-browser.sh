#!/usr/bin/env bash
# Installs headless Chromium and chromedriver (Debian packages) for the browser tests in
# crates/web/tests/app/browser.rs. Idempotent: does nothing but print the versions when both are there.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [[ ! -x "$CHROMIUM" || ! -x "$CHROMEDRIVER" ]]; then
    scripts/apt-install.sh chromium chromium-driver
fi
if [[ ! -x "$CHROMIUM" || ! -x "$CHROMEDRIVER" ]]; then
    echo "Fehler: nach der Installation fehlt $CHROMIUM oder $CHROMEDRIVER." >&2
    exit 1
fi
"$CHROMIUM" --version
"$CHROMEDRIVER" --version
