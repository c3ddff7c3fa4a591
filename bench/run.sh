#!/usr/bin/env bash
# RunRelay benchmark: fake OpenAI upstream -> the app (bootstrap/target/runrelay.jar) -> WebSocket load client.
#
#   bench/run.sh [scenario ...]      scenarios: startup s1 s100 s1000 s5000 s8000 throughput  (default: all but s8000)
#                                    also: startup-aot (extracted jar + JDK AOT cache), startup-run (./run, the README's
#                                    way), startup-image (the Jib image, unpacked and chrooted), any with TARGET=baseline
#
# Environment (all optional):
#   TARGET=app|baseline   what is measured: the app (default) or bench's minimal no-SDK relay (the floor)
#   PROVIDER=openai|openai-assistants  the app's runrelay.provider against the fake upstream (default openai:
#                         the Responses API; openai-assistants: the Assistants API); ASSISTANT_ID to override
#   APP_JVM_OPTS=...      JVM flags of the app (default below); PROFILE=1 adds a JFR recording per scenario
#   APP_ARGS=...          Spring properties of the app (default below: the per-instance caps raised)
#   BUILD_APP=1           rebuild bootstrap/target/runrelay.jar even if it exists
#   WARMUP=100x1000@0,1000x200@20   warm-up rounds (streams x deltas @ interval ms); default: a burst round, then
#                         a paced round of min(N, 1000) streams
#   BENCH_NICE=-10        run upstream, app and client at this nice level (root only), to shield a measurement
#                         from other work on the machine; the results record the machine's load either way
#   DELTAS=200 PACE_MS=20 the measured round's deltas per stream and pace (ms between deltas), overriding the
#                         scenario's; TIMEOUT_S=300 its timeout (s). E.g. PACE_MS=500 bench/run.sh s8000: a pace the
#                         machine can serve at 8,000 streams (8,000 streams at 20 ms offer 400,000 events/s)
#   NMT=1                 the app runs with -XX:NativeMemoryTracking=summary, and a sampler writes jcmd's
#                         VM.native_memory summary + GC.heap_info at the app's highest RSS to <result>-nmt.txt;
#                         NMT=histogram adds the live heap's top classes (GC.class_histogram: a full GC each time)
#   RESULT_TAG=x          appended to the result file's name (and the app log is kept next to it as .app.log)
#   STARTUP_RUNS=5 STARTUP_CLIENT=socket|http  start-up scenarios: starts per scenario, and how StartupProbe polls
#                         /readyz (socket: one plain HTTP request per attempt, the default; http: java.net.http,
#                         which cost the 2-core machine 0.3-1.1 CPU-seconds of each start: bench/README.md, issue 14
#                         sixth pass); STARTUP_RUN=<checkout>/run: startup-run measures that checkout's ./run; IMAGE_TAR=<jib-image.tar>: startup-image
#                         measures that image
# Results: bench/results/<UTC date>-<scenario>[-baseline|-openai-assistants].json (+ .jfr, -profile.txt with PROFILE=1).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  JAVA_HOME="$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)"
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
TARGET="${TARGET:-app}"
PROVIDER="${PROVIDER:-openai}"
# The Responses provider (openai) resolves assistant ids to configured profiles: "default" always exists.
if [[ "$PROVIDER" == openai ]]; then ASSISTANT_ID="${ASSISTANT_ID:-default}"; else ASSISTANT_ID="${ASSISTANT_ID:-asst_bench}"; fi
APP_JAR="${APP_JAR:-$ROOT/bootstrap/target/runrelay.jar}"
APP_PORT="${APP_PORT:-18080}"
# The app's actuator has its own loopback port (application.yml); the bench puts it next to the app port.
# (Moving it onto the app port fails: the app also sets management.server.address.) The baseline relay
# answers the readiness probe on its own port.
export MANAGEMENT_SERVER_PORT="${MANAGEMENT_PORT:-$((APP_PORT + 1))}"
ACTUATOR="http://127.0.0.1:$MANAGEMENT_SERVER_PORT/actuator"
[[ "$TARGET" == baseline ]] && ACTUATOR="http://127.0.0.1:$APP_PORT/actuator"
# Serial GC: the least GC CPU on 2 cores, and young pauses of a few ms at this heap size.
# Compact object headers (JDK 25) shrink every object by 4 bytes. -Xmx keeps RSS under the 1 GiB target.
# -Xmn64m: 8,000 streams keep ~390 MiB live, more than the old generation of a 512 MiB heap with the default
# NewRatio=2 (341 MiB), which made the app do full GCs back to back; with a 64 MiB young generation the old one
# holds 448 MiB. TrimNativeHeapInterval: glibc keeps what the JIT's arenas freed (32 MiB at warm-up) unless
# trimmed. (README, "Issue 12, third pass".)
APP_JVM_OPTS="${APP_JVM_OPTS:--XX:+UseSerialGC -Xms256m -Xmx512m -Xmn64m -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000}"
# The app's per-instance caps, raised to the bench's concurrency: the resilience bulkhead (default 256 upstream
# streams) and OkHttp's dispatcher (runrelay.openai.max-concurrent-requests, default 1024 calls, streams included)
# would otherwise refuse or queue the streams beyond them. See README "Configuration the bench needs".
# The bench's load client is one principal: fair use (8 streams, 30 runs a minute per principal) is raised too.
APP_ARGS="${APP_ARGS:---runrelay.resilience.bulkhead.max-concurrent-streams=12000 --runrelay.openai.max-concurrent-requests=12000 --runrelay.fair-use.max-streams-per-principal=12000 --runrelay.fair-use.runs-per-period=10000000}"
BENCH_JAR="$BENCH_DIR/target/runrelay-bench.jar"
# STORE=redis: the app keeps runs and stream logs in a redis-server started here (no persistence); default memory.
STORE="${STORE:-memory}"
REDIS_PORT="${REDIS_PORT:-16379}"
DATE="$(date -u +%Y-%m-%d)"
RESULTS="$BENCH_DIR/results"
mkdir -p "$RESULTS"

# Two sockets per stream (client<->app, app<->upstream): 5,000 streams need ~10,000 descriptors in the app.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [[ ! -f "$BENCH_JAR" || -n "$(find "$BENCH_DIR/src" "$BENCH_DIR/pom.xml" -newer "$BENCH_JAR" 2>/dev/null | head -1)" ]]; then
  (cd "$ROOT" && ./mvnw -B -ntp -q -f bench/pom.xml package)
fi
if [[ "$TARGET" == app && ( ! -f "$APP_JAR" || -n "${BUILD_APP:-}" ) ]]; then
  (cd "$ROOT" && ./mvnw -B -ntp -q -DskipTests -pl bootstrap -am package)
fi

NICE=(); [[ -n "${BENCH_NICE:-}" ]] && NICE=(nice -n "$BENCH_NICE")
JAVA=("${NICE[@]}" "$JAVA")
BENCH=("${JAVA[@]}" --enable-native-access=ALL-UNNAMED -cp "$BENCH_JAR")
PIDS=()
cleanup() { # SIGTERM (the app's graceful shutdown), then SIGKILL after 30 s: an app lost in GC never ends by itself
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 60); do
    local alive=0; for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    (( alive )) || break; sleep 0.5
  done
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true; PIDS=()
}
trap cleanup EXIT

wait_ready() { # url, seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS "$1" 2>/dev/null | grep -q '"UP"'; do
    (( SECONDS < deadline )) || { echo "not ready: $1" >&2; return 1; }
    sleep 0.2
  done
}

start_stack() { # scenario
  local scenario="$1" portfile
  portfile="$(mktemp)"
  # shellcheck disable=SC2086
  "${BENCH[@]}" -Xmx1g ${UPSTREAM_JVM_OPTS:-} dev.runrelay.bench.FakeOpenAiUpstream --port=0 --port-file="$portfile" \
    >"$RESULTS/.upstream.log" 2>&1 &
  UPSTREAM_PID=$!; PIDS+=("$UPSTREAM_PID")
  for _ in $(seq 100); do [[ -s "$portfile" ]] && break; sleep 0.1; done
  UPSTREAM_PORT="$(cat "$portfile")"; rm -f "$portfile"
  STORE_ARGS=""
  if [[ "$STORE" == redis ]]; then
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --loglevel warning >"$RESULTS/.redis.log" 2>&1 &
    REDIS_PID=$!; PIDS+=("$REDIS_PID")
    until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.1; done
    STORE_ARGS="--runrelay.store=redis --spring.data.redis.host=127.0.0.1 --spring.data.redis.port=$REDIS_PORT"
  fi
  local jfr=()
  [[ -n "${NMT:-}" ]] && jfr+=("-XX:NativeMemoryTracking=summary")
  if [[ -n "${PROFILE:-}" ]]; then
    jfr=("-XX:StartFlightRecording=filename=$RESULTS/$DATE-$scenario-$TARGET.jfr,settings=profile,dumponexit=true")
  fi
  if [[ "$TARGET" == baseline ]]; then
    # shellcheck disable=SC2086
    "${JAVA[@]}" --enable-native-access=ALL-UNNAMED $APP_JVM_OPTS "${jfr[@]}" -cp "$BENCH_JAR" dev.runrelay.bench.BaselineRelay \
      --port="$APP_PORT" --upstream="http://127.0.0.1:$UPSTREAM_PORT/v1" >"$RESULTS/.app.log" 2>&1 &
  else
    # shellcheck disable=SC2086
    OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT/v1" OPENAI_API_KEY="sk-bench-fake" \
    "${JAVA[@]}" --enable-native-access=ALL-UNNAMED $APP_JVM_OPTS "${jfr[@]}" -jar "$APP_JAR" \
      --server.port="$APP_PORT" --server.address=127.0.0.1 --runrelay.provider="$PROVIDER" \
      --management.endpoints.web.exposure.include=health,metrics \
      --management.endpoint.health.probes.enabled=true $APP_ARGS $STORE_ARGS >"$RESULTS/.app.log" 2>&1 &
  fi
  APP_PID=$!; PIDS+=("$APP_PID")
  wait_ready "$ACTUATOR/health/readiness" "${READY_TIMEOUT_S:-60}" || { tail -50 "$RESULTS/.app.log"; exit 1; }
}

load() { # scenario, then LoadClient options
  local scenario="$1"; shift
  local suffix=""; [[ "$TARGET" == app ]] || suffix="-$TARGET"
  [[ "$TARGET" == app && "$PROVIDER" != openai ]] && suffix="-$PROVIDER"
  [[ -n "${PROFILE:-}" ]] && suffix="$suffix-profiled"  # JFR costs a little: keep apart from the plain runs
  [[ "$STORE" == redis ]] && suffix="$suffix-redis"
  start_stack "$scenario"
  local status=0
  if [[ -n "${NMT:-}" ]]; then
    nmt_at_peak "$APP_PID" "$RESULTS/$DATE-$scenario$suffix${RESULT_TAG:+-$RESULT_TAG}-nmt.txt" &
    PIDS+=("$!")
  fi
  "${BENCH[@]}" -Xmx2g dev.runrelay.bench.LoadClient --scenario="$scenario" \
    --url="ws://127.0.0.1:$APP_PORT/ws/runs" --actuator="$ACTUATOR" \
    --assistant-id="$ASSISTANT_ID" --app-pid="$APP_PID" --upstream-pid="$UPSTREAM_PID" --app-provider="$TARGET/$PROVIDER" \
    --app-jvm="$APP_JVM_OPTS $APP_ARGS" --command="bench/run.sh $scenario (TARGET=$TARGET PROVIDER=$PROVIDER STORE=$STORE${BENCH_NICE:+ BENCH_NICE=$BENCH_NICE}${DELTAS:+ DELTAS=$DELTAS}${PACE_MS:+ PACE_MS=$PACE_MS}${TIMEOUT_S:+ TIMEOUT_S=$TIMEOUT_S})" \
    --out="$RESULTS/$DATE-$scenario$suffix${RESULT_TAG:+-$RESULT_TAG}.json" ${WARMUP:+--warmup="$WARMUP"} "$@" \
    ${DELTAS:+--deltas="$DELTAS"} ${PACE_MS:+--interval-ms="$PACE_MS"} ${TIMEOUT_S:+--timeout-s="$TIMEOUT_S"} | tee "$RESULTS/.client.log" | tail -3 || status=$?
  if [[ "$STORE" == redis ]]; then  # redis-server's own CPU over the whole run (warm-up included), user+system
    echo "redis-server CPU: $(awk '{printf "%.2f s", ($14+$15)/'"$(getconf CLK_TCK)"'}' "/proc/$REDIS_PID/stat")" | tee -a "$RESULTS/.client.log"
  fi
  cleanup
  [[ -n "${RESULT_TAG:-}" ]] && cp "$RESULTS/.app.log" "$RESULTS/$DATE-$scenario$suffix-$RESULT_TAG.app.log"
  if [[ -n "${PROFILE:-}" ]]; then
    # Only the measured window (the recording runs from JVM start): its bounds are in the results file.
    local window
    window="$(tr -d ' \n' <"$RESULTS/$DATE-$scenario$suffix${RESULT_TAG:+-$RESULT_TAG}.json" | grep -o '"windowEpochMs":\[[0-9]*,[0-9]*\]' | grep -o '[0-9]*,[0-9]*')"
    "${BENCH[@]}" dev.runrelay.bench.JfrTop --file="$RESULTS/$DATE-$scenario-$TARGET.jfr" --top=40 \
      --from="${window%,*}" --to="${window#*,}" ${PROFILE_CALLERS:+--callers="$PROFILE_CALLERS"} \
      >"$RESULTS/$DATE-$scenario-$TARGET${RESULT_TAG:+-$RESULT_TAG}-profile.txt" 2>&1 || true
    echo "profile: $RESULTS/$DATE-$scenario-$TARGET${RESULT_TAG:+-$RESULT_TAG}-profile.txt"
  fi
  return "$status"
}

# Where the memory is at the app's highest RSS: every 5 s, when RSS grew by 16 MiB or more since the last
# snapshot, the JVM's native memory summary (heap, metaspace, code, thread stacks, "Other" = direct buffers)
# and the heap's occupancy replace the snapshot. jcmd takes a safepoint: a few ms every few seconds.
nmt_at_peak() { # pid, output file
  local pid="$1" out="$2" rss max=0
  while [[ -r "/proc/$pid/status" ]]; do
    rss="$(awk '/^VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null)" || break
    if [[ -n "$rss" ]] && (( rss > max + 16384 )); then
      max="$rss"
      { echo "$(date -u +%T) VmRSS $rss kB"; grep -E '^(VmHWM|Threads|RssAnon|RssFile)' "/proc/$pid/status"
        "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary; "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info
        if [[ "$NMT" == histogram ]]; then "$JAVA_HOME/bin/jcmd" "$pid" GC.class_histogram | head -40; fi; } >"$out.tmp" 2>&1 \
        && mv "$out.tmp" "$out"
    fi
    sleep 5
  done
}

startup() {
  local out="$RESULTS/$DATE-startup.txt"
  # shellcheck disable=SC2086
  "${BENCH[@]}" dev.runrelay.bench.StartupProbe --runs=5 \
    --readiness="$ACTUATOR/health/readiness" -- \
    "${JAVA[@]}" $APP_JVM_OPTS -jar "$APP_JAR" --server.port="$APP_PORT" --server.address=127.0.0.1 \
    --runrelay.provider=sandbox --management.endpoint.health.probes.enabled=true | tee "$out"
}

# The same, from the jar extracted by Spring Boot's jarmode tools and with a JDK 25 AOT cache (JEP 483/514)
# recorded by a training run: what a container image would ship to start faster.
startup_aot() {
  local dir="$BENCH_DIR/target/startup-aot" out="$RESULTS/$DATE-startup-aot.txt"
  rm -rf "$dir"
  "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$APP_JAR" extract --destination "$dir" >/dev/null
  local jar; jar="$(ls "$dir"/*.jar | head -1)"
  # Training run (start, serve readiness, stop: the configuration is written at exit), then the cache.
  # shellcheck disable=SC2086
  "${BENCH[@]}" dev.runrelay.bench.StartupProbe --runs=1 \
    --readiness="$ACTUATOR/health/readiness" -- \
    "${JAVA[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$dir/app.aotconf" $APP_JVM_OPTS -jar "$jar" \
    --server.port="$APP_PORT" --server.address=127.0.0.1 --runrelay.provider=sandbox \
    --management.endpoint.health.probes.enabled=true >/dev/null
  # shellcheck disable=SC2086
  "${JAVA[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$dir/app.aotconf" -XX:AOTCache="$dir/app.aot" \
    $APP_JVM_OPTS -jar "$jar" >/dev/null 2>&1
  ls -la "$dir/app.aot"
  # shellcheck disable=SC2086
  "${BENCH[@]}" dev.runrelay.bench.StartupProbe --runs=5 \
    --readiness="$ACTUATOR/health/readiness" -- \
    "${JAVA[@]}" -XX:AOTCache="$dir/app.aot" $APP_JVM_OPTS -jar "$jar" --server.port="$APP_PORT" \
    --server.address=127.0.0.1 --runrelay.provider=sandbox --management.endpoint.health.probes.enabled=true | tee "$out"
}

# Start-up the README's way (issue 14): `./run` itself, i.e. the extracted jar with the JDK AOT cache that
# `./mvnw -Paot-cache -DskipTests package` records (trained up to the first answered /readyz), polled on /readyz.
# Both start-ups keep the app's default separate management port (on a free port), as a user's start has it.
# STARTUP_RUN=<another checkout>/run measures that checkout's ./run with this probe (a before/after in one series).
startup_run() {
  local out="$RESULTS/$DATE-startup-run${RESULT_TAG:+-$RESULT_TAG}.txt" run="${STARTUP_RUN:-$ROOT/run}"
  [[ -f "$(dirname "$run")/bootstrap/target/app/runrelay.aot" ]] \
    || (cd "$(dirname "$run")" && ./mvnw -B -ntp -q -Paot-cache -DskipTests package)
  "${BENCH[@]}" dev.runrelay.bench.StartupProbe --runs="${STARTUP_RUNS:-5}" --readiness="http://127.0.0.1:$APP_PORT/readyz" \
    ${STARTUP_CLIENT:+--client="$STARTUP_CLIENT"} -- \
    env -u MANAGEMENT_SERVER_PORT "${NICE[@]}" "$run" --server.port="$APP_PORT" --management.server.port=0 --runrelay.provider=sandbox | tee "$out"
}

# Start-up the image's way, without a container runtime: the layers of Jib's OCI tarball unpacked into a root file
# system, and the image's own entrypoint (its jlink'd JDK and AOT cache) run there in fresh mount and PID
# namespaces, chrooted, as the image's user 65532 (bootstrap/src/image/run-in-image.sh; root or user namespaces).
startup_image() {
  local tar="${IMAGE_TAR:-$ROOT/bootstrap/target/jib-image.tar}" rootfs="$BENCH_DIR/target/image-rootfs"
  local out="$RESULTS/$DATE-startup-image${RESULT_TAG:+-$RESULT_TAG}.txt" entrypoint
  [[ -f "$tar" ]] || (cd "$ROOT" && ./mvnw -B -ntp -q -Pimage -DskipTests package)
  sh "$ROOT/bootstrap/src/image/unpack-image.sh" "$tar" "$rootfs"
  mapfile -t entrypoint < <(grep -o '"Entrypoint":\[[^]]*\]' "$rootfs.config.json" \
    | sed 's/^"Entrypoint":\[//; s/\]$//' | tr ',' '\n' | sed 's/^"//; s/"$//')
  echo "entrypoint: ${entrypoint[*]}"
  "${BENCH[@]}" dev.runrelay.bench.StartupProbe --runs="${STARTUP_RUNS:-5}" --readiness="http://127.0.0.1:$APP_PORT/readyz" \
    ${STARTUP_CLIENT:+--client="$STARTUP_CLIENT"} -- \
    env -u MANAGEMENT_SERVER_PORT "${NICE[@]}" "$ROOT/bootstrap/src/image/run-in-image.sh" "$rootfs" "${entrypoint[@]}" \
    --server.port="$APP_PORT" --management.server.port=0 --runrelay.provider=sandbox | tee "$out"
}

# Warm-up before every measured scenario (LoadClient --warmup): 100 streams x 1,000 deltas with no delay, then
# min(N, 1000) streams x 200 deltas at 20 ms, so both the burst and the paced paths are compiled.
scenario() {
  case "$1" in
    startup)    startup ;;
    startup-aot) startup_aot ;;
    startup-run) startup_run ;;
    startup-image) startup_image ;;
    s1)         load s1 --streams=1 --timeout-s=60 ;;
    s100)       load s100 --streams=100 --timeout-s=60 ;;
    s1000)      load s1000 --streams=1000 --start-spread-ms=1000 --timeout-s=120 ;;
    s5000)      load s5000 --streams=5000 --start-spread-ms=2000 --timeout-s=300 --client-threads=2 ;;
    # 8,000 streams: ~16,000 sockets in the app, under this machine's 20,000 open-file limit.
    s8000)      load s8000 --streams=8000 --start-spread-ms=2000 --timeout-s=300 --client-threads=2 ;;
    throughput) load throughput --streams=100 --deltas=2000 --interval-ms=0 --timeout-s=120 ;;
    s[0-9]*)    load "$1" --streams="${1#s}" --start-spread-ms=1000 --timeout-s=300 ;;  # any other count, e.g. s300
    *) echo "unknown scenario: $1 (startup startup-aot startup-run startup-image s1 s100 s1000 s5000 s8000 throughput)" >&2; return 2 ;;
  esac
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
failed=0
for s in "${@:-startup s1 s100 s1000 s5000 throughput}"; do
  for one in $s; do scenario "$one" || failed=1; done
done
exit "$failed"
