#!/usr/bin/env bash
# Validates every XML file of the repository against its official eCH schema in schemas/ech/, offline: the
# schemas import each other by URL, and schemas/ech/catalog.xml maps those URLs to the local copies. The files
# are found, not listed: a new fixture is checked from the day it is added. The schema is chosen by the root
# element's namespace; a file in a namespace without a schema here fails too, so nothing slips through.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== XML fixtures against the eCH schemas (schemas/ech)"
scripts/install-xmllint.sh >/dev/null
export XML_CATALOG_FILES="$PWD/schemas/ech/catalog.xml"

schema_for() {
    case "$1" in
        http://www.ech.ch/xmlns/eCH-0020/3) echo schemas/ech/eCH-0020-3-0.xsd ;;
        *) return 1 ;;
    esac
}

checked=0
failed=0
# Tracked and new (not ignored) files; the schemas folder holds the schemas and their catalog, no fixtures.
while IFS= read -r -d '' file; do
    checked=$((checked + 1))
    namespace=$(xmllint --nonet --xpath 'namespace-uri(/*)' "$file" 2>/dev/null || true)
    if ! schema=$(schema_for "$namespace"); then
        echo "$file: no schema for the root namespace «$namespace» in schemas/ech" >&2
        failed=$((failed + 1))
        continue
    fi
    if ! report=$(xmllint --nonet --noout --schema "$schema" "$file" 2>&1); then
        echo "$report" >&2
        failed=$((failed + 1))
    fi
done < <(git ls-files -z --cached --others --exclude-standard -- '*.xml' ':!:schemas/ech/*')

if [[ "$failed" -gt 0 ]]; then
    echo "$failed of $checked XML files are not valid against their eCH schema (messages above)." >&2
    exit 1
fi
echo "$checked XML files valid."
