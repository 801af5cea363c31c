#!/usr/bin/env bash
# Property-based API check: schemathesis generates requests for every operation of the OpenAPI document and
# checks the answers of a freshly prepared demo: no server error (5xx), every response as documented (schema
# and status code). The demo runs on a scratch SQLite database on a free port and is stopped afterwards.
#
# Options (environment): SCHEMATHESIS_EXAMPLES (examples per operation, default 100: about a minute here), SCHEMATHESIS_SEED.
set -euo pipefail
cd "$(dirname "$0")/.."

version="3.39.16"
# Newer hypothesis releases dropped an internal API that schemathesis 3 relies on.
hypothesis="6.122.7"
venv="target/schemathesis-venv"
examples="${SCHEMATHESIS_EXAMPLES:-100}"
seed="${SCHEMATHESIS_SEED:-2026}"

if [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $version" ]; then
  echo "Installing schemathesis $version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" "hypothesis==$hypothesis"
fi

cargo build --quiet --bin iim
iim="target/debug/iim"

scratch="$(mktemp -d)"
server=""
stop() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap stop EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export IIM_DATA_DIR="$scratch" IIM_LISTEN="127.0.0.1:$port" IIM_SECURE_COOKIES=false IIM_LOG="${IIM_LOG:-warn}"
unset IIM_DATABASE_URL

"$iim" demo --no-serve --persons 600 >"$scratch/demo.log"
token="$("$iim" token create --user fallfuehrung.olten --name schemathesis | grep '^iim_')"
"$iim" serve >"$scratch/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/ready" >/dev/null

status=0
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance \
  --hypothesis-max-examples "$examples" --hypothesis-seed "$seed" --hypothesis-database=none \
  --experimental=openapi-3.1 --request-timeout 10000 --no-color || status=$?
if [ "$status" -ne 0 ]; then
  echo "== server log (last 50 lines)"; tail -n 50 "$scratch/serve.log"
fi
exit "$status"
