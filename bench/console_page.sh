#!/usr/bin/env bash
# The console page's weight and server-side rendering time with 100 streams.
# Usage: bench/console_page.sh [path/to/sluice]   (default: the release build)
set -euo pipefail
BIN=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/sluice/target}/release/sluice}
DATA=$(mktemp -d)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT

SLUICE_LISTEN=127.0.0.1:0 SLUICE_DATA_DIR=$DATA RUST_LOG=warn \
  SLUICE_ADMIN_EMAIL=bench@example.com SLUICE_ADMIN_PASSWORD=bench-password \
  SLUICE_BOOTSTRAP_CLIENT_ID=bench SLUICE_BOOTSTRAP_CLIENT_SECRET=bench-secret \
  "$BIN" > "$DATA/out" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q 'listening on' "$DATA/out" && break; sleep 0.1; done
URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$DATA/out")

TOKEN=$(curl -sf -u bench:bench-secret -d grant_type=client_credentials "$URL/oidc/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
for i in $(seq -w 1 100); do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d "{\"stream_id\":\"stream-$i\",\"type\":\"cis\",\"batch_size\":100}" "$URL/activities/v1/streams"
done
curl -sf -o /dev/null -c "$DATA/cookies" -H 'accept: text/html' \
  --data-urlencode email=bench@example.com --data-urlencode password=bench-password "$URL/api/login"

# Warm up, then the median of 21 renders.
curl -sf -o /dev/null -b "$DATA/cookies" "$URL/event-streaming"
for _ in $(seq 21); do
  curl -sf -o /dev/null -b "$DATA/cookies" -w '%{time_total}\n' "$URL/event-streaming"
done | sort -n | sed -n 11p | awk '{printf "ssr_100_streams_ms %.2f\n", $1 * 1000}'
ROWS=$(curl -sf -b "$DATA/cookies" "$URL/event-streaming" | grep -o 'data-stream-id=' | wc -l)
echo "rows_rendered $ROWS"

ASSETS=0
for asset in sluice.wasm sluice.js sluice.css; do
  bytes=$(curl -sf "$URL/pkg/$asset" | gzip -9 | wc -c)
  echo "${asset}_gz_bytes $bytes"
  [ "$asset" = sluice.css ] || ASSETS=$((ASSETS + bytes))
done
echo "page_assets_gz_bytes $ASSETS   # wasm + JS"
