#!/usr/bin/env bash
# Measures start-up to ready (GET /readyz on the public port answers 200) of the built jar with the
# sandbox provider: the plain jar, and the extracted jar with a JDK 25 AOT cache from a training run.
# Usage: .ci/measure-startup.sh [runs]   (needs bootstrap/target/runrelay.jar: ./mvnw -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/select-jdk.sh
RUNS=${1:-3}
JAR=bootstrap/target/runrelay.jar
WORK=bootstrap/target/startup
[ -f "$JAR" ] || { echo "Build the jar first: ./mvnw -B -ntp -DskipTests package" >&2; exit 1; }

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})" 2>/dev/null \
    || python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

measure() {
  local label=$1; shift
  local port; port=$(free_port)
  local start end pid
  start=$(date +%s%N)
  "$@" --server.address=127.0.0.1 --server.port="$port" --management.server.port=0 --runrelay.provider=sandbox >"$WORK/$label.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "$label: the app exited, see $WORK/$label.log" >&2; return 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  echo "$label: ready after $(( (end - start) / 1000000 )) ms, CPU $(ps -o times= -p "$pid" | tr -d ' ') s"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

rm -rf "$WORK" && mkdir -p "$WORK"
"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null
# Training run: starts the app, answers /readyz once (AotTrainingRun), exits; the JVM writes the AOT cache.
"$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$WORK/app/runrelay.aot" -Drunrelay.aot-training=true \
  -jar "$WORK/app/runrelay.jar" --server.port=0 --management.server.port=0 --runrelay.provider=sandbox >"$WORK/training.log" 2>&1

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
for i in $(seq 1 "$RUNS"); do
  measure "jar-$i" "$JAVA_HOME/bin/java" -jar "$JAR"
  measure "aot-$i" "$JAVA_HOME/bin/java" -XX:AOTCache="$WORK/app/runrelay.aot" -jar "$WORK/app/runrelay.jar"
done
