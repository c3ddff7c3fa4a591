#!/usr/bin/env bash
# Drives the demo page in Debian's headless Chromium against the built jar with the sandbox provider.
# Installs what it needs (chromium, node, playwright-core without any browser download), starts the app
# on a free 127.0.0.1 port (and a second one with a WebSocket token, for the token tests), runs
# bootstrap/src/test/browser/demo.test.mjs, saves a screenshot to
# bootstrap/target/demo.png (copied to docs/demo.png), stops the app. Exits non-zero on any failure.
# Usage: .ci/browser-test.sh   (after ./mvnw verify or package; builds the jar itself if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BROWSER_DIR=bootstrap/src/test/browser
JAR=bootstrap/target/runrelay.jar
APP_LOG=bootstrap/target/browser-test-app.log
SCREENSHOT=bootstrap/target/demo.png

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    as_root apt-get update -q
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$@"
}

command -v chromium >/dev/null 2>&1 || apt_install chromium
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
CHROMIUM=$(command -v chromium)

. .ci/select-jdk.sh
if [ ! -f "$JAR" ]; then
  ./mvnw -B -ntp -q -pl bootstrap -am package -DskipTests
fi

# playwright-core alone never downloads a browser; the variable makes sure of it.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error)

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
PORT=$(free_port)
BASE_URL="http://127.0.0.1:$PORT"
TOKEN_PORT=$(free_port)
TOKEN_BASE_URL="http://127.0.0.1:$TOKEN_PORT"
TOKEN_APP_LOG=bootstrap/target/browser-test-token-app.log
# A throwaway token for the second app only (the page must ask for it, and work with ?token=).
WS_TOKEN="browser-test-$RANDOM$RANDOM"

mkdir -p bootstrap/target
# The first app starts the README's way, `./run` (the JDK AOT cache and Spring AOT's build-time bean graph, ADR 0035),
# so the page is tested on what a user runs; the token app starts as `java -jar` (no Spring AOT). ./run's build comes
# first, so that the jar does not change under the token app.
./mvnw -B -ntp -q -Paot-cache -DskipTests package
./run --server.address=127.0.0.1 --server.port="$PORT" --management.server.port=0 --runrelay.provider=sandbox \
  >"$APP_LOG" 2>&1 &
APP_PID=$!
"$JAVA_HOME/bin/java" -jar "$JAR" --server.address=127.0.0.1 --server.port="$TOKEN_PORT" --management.server.port=0 --runrelay.provider=sandbox \
  --runrelay.websocket.token="$WS_TOKEN" >"$TOKEN_APP_LOG" 2>&1 &
TOKEN_APP_PID=$!
stop_apps() {
  for pid in "$APP_PID" "$TOKEN_APP_PID"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
}
trap stop_apps EXIT

wait_ready() { # pid base-url log
  for _ in $(seq 1 360); do
    if ! kill -0 "$1" 2>/dev/null; then
      echo "RunRelay exited before it was ready; its log:" >&2
      cat "$3" >&2
      exit 1
    fi
    if node -e "fetch('$2/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
      echo "RunRelay ready at $2 ($(grep -o 'Started RunRelayApplication in [0-9.]* seconds' "$3" || true))"
      return 0
    fi
    sleep 0.5
  done
  echo "RunRelay was not ready within 180 s; its log:" >&2
  cat "$3" >&2
  exit 1
}
wait_ready "$APP_PID" "$BASE_URL" "$APP_LOG"
wait_ready "$TOKEN_APP_PID" "$TOKEN_BASE_URL" "$TOKEN_APP_LOG"
if ! grep -q "Starting AOT-processed RunRelayApplication" "$APP_LOG"; then
  echo "./run did not start with Spring AOT's bean graph (ADR 0035); its log is $APP_LOG" >&2
  exit 1
fi

status=0
(cd "$BROWSER_DIR" && BASE_URL="$BASE_URL" TOKEN_BASE_URL="$TOKEN_BASE_URL" WS_TOKEN="$WS_TOKEN" SCREENSHOT="$ROOT/$SCREENSHOT" CHROMIUM="$CHROMIUM" \
  node --test --test-concurrency=1 demo.test.mjs) || status=$?

if [ -f "$SCREENSHOT" ]; then
  mkdir -p docs
  cp "$SCREENSHOT" docs/demo.png
  echo "Screenshot: $SCREENSHOT (copied to docs/demo.png)"
fi
if [ "$status" -ne 0 ]; then
  echo "Browser test failed; the app's log is $APP_LOG" >&2
fi
exit "$status"
