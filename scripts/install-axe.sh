#!/usr/bin/env bash
# axe-core for the accessibility check of the public pages (crates/web/tests/app/angebote_browser.rs), into the
# project's own node_modules (ignored by git), at the version pinned in package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -f node_modules/axe-core/axe.min.js ]]; then exit 0; fi
npm ci --no-audit --no-fund
