#!/usr/bin/env bash
# Runs the official OpenAI Node SDK against the fake OpenAI servers (adapter-openai/src/test/fidelity):
# installs node/npm if missing, builds adapter-openai's test classpath, starts FidelityFakes on free
# 127.0.0.1 ports, runs fidelity.test.mjs, stops the fakes. Exits non-zero if a fake is kinder than the API.
# Usage: .ci/fakes-fidelity.sh   (after ./mvnw verify; compiles what it needs itself)
set -euo pipefail
cd "$(dirname "$0")/.."
FIDELITY_DIR=adapter-openai/src/test/fidelity
CLASSPATH_FILE=adapter-openai/target/fidelity.classpath
FAKES_LOG=adapter-openai/target/fidelity-fakes.log

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q nodejs npm
fi

. .ci/select-jdk.sh
./mvnw -B -ntp -q -pl adapter-openai -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/fidelity.classpath -Dmdep.includeScope=test
(cd "$FIDELITY_DIR" && npm ci --no-audit --no-fund --loglevel=error)

mkdir -p adapter-openai/target
ENV_FILE=$(mktemp)
"$JAVA_HOME/bin/java" -cp "adapter-openai/target/test-classes:adapter-openai/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.runrelay.adapter.openai.fidelity.FidelityFakes >"$ENV_FILE" 2>"$FAKES_LOG" &
FAKES_PID=$!
stop_fakes() {
  if kill -0 "$FAKES_PID" 2>/dev/null; then
    kill "$FAKES_PID" 2>/dev/null || true
    wait "$FAKES_PID" 2>/dev/null || true
  fi
  rm -f "$ENV_FILE"
}
trap stop_fakes EXIT

for _ in $(seq 1 120); do
  [ "$(wc -l <"$ENV_FILE")" -ge 3 ] && break
  if ! kill -0 "$FAKES_PID" 2>/dev/null; then
    echo "The fakes exited before they were ready; their log:" >&2
    cat "$FAKES_LOG" >&2
    exit 1
  fi
  sleep 0.5
done
if [ "$(wc -l <"$ENV_FILE")" -lt 3 ]; then
  echo "The fakes were not ready within 60 s; their log:" >&2
  cat "$FAKES_LOG" >&2
  exit 1
fi
set -a
. "$ENV_FILE"
set +a
echo "Fakes: Assistants $FAKE_ASSISTANTS_URL, Responses $FAKE_RESPONSES_URL"

(cd "$FIDELITY_DIR" && node --test --test-concurrency=1 fidelity.test.mjs)
