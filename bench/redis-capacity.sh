#!/usr/bin/env bash
# How many concurrent streams one Redis serves before it is the bottleneck (issue 13).
#
#   bench/redis-capacity.sh [keys-per-call] [steps...]      steps: clients:pipeline, default 10:1 50:1 50:8 100:16 200:32
#
# Starts its own redis-server (no persistence, port REDIS_PORT, default 16579) and drives it with
# redis-benchmark (C, so the load generator is not the limit the way one JVM writer was) sending the
# run event log's own append script (RedisRunEventLogAdapter.APPEND: XADD MAXLEN ~ and PEXPIRE per frame,
# KEYS frames per call, ~180-byte chunk frames, 10,000 runs), with more connections and deeper pipelines
# per step. Per step: frames/s, the call's latency (p50/p99, queueing in Redis included), and redis-server's
# CPU from /proc/<pid>/stat. BENCH_NICE=-10 (root) runs Redis and the load generator ahead of other work on
# the machine, as bench/run.sh does, so Redis gets the core it asks for. Redis is the bottleneck where its CPU reaches ~100 % of its one core and the
# frames/s stop growing while the latency grows. Each step is bounded (REQUESTS calls, at most 60 s).
set -euo pipefail
KEYS_PER_CALL="${1:-16}"
shift || true
STEPS=("${@:-10:1 50:1 50:8 100:16 200:32}")
STEPS=(${STEPS[*]})
REDIS_PORT="${REDIS_PORT:-16579}"
REQUESTS="${REQUESTS:-40000}"
RUNS="${RUNS:-10000}"
OUT_DIR="$(cd "$(dirname "$0")" && pwd)/results/store-redis"
mkdir -p "$OUT_DIR"
OUT="$OUT_DIR/$(date -u +%Y-%m-%d)-redis-capacity.txt"

NICE=(nice -n "${BENCH_NICE:-0}")
"${NICE[@]}" redis-server --port "$REDIS_PORT" --save "" --appendonly no --bind 127.0.0.1 >/dev/null 2>&1 &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

FRAME='{"type":"chunk","requestId":"r1","threadId":"thread_0123456789","runId":"run_0123456789abcdef","seq":17,"message":"word ","messageId":"msg_0123456789"}'
# The adapter's script with '*' ids: redis-benchmark cannot number each run's frames 1, 2, 3, ...
SCRIPT="local n=0 for i=1,#KEYS do redis.call('XADD', KEYS[i], 'MAXLEN', '~', ARGV[1], '*', 'f', ARGV[3], 'l', '0') redis.call('PEXPIRE', KEYS[i], ARGV[2]) n=n+1 end return n"
KEY_ARGS=()
for _ in $(seq "$KEYS_PER_CALL"); do KEY_ARGS+=("bench:run:{__rand_int__}:log"); done

ticks() { awk '{print $14 + $15}' "/proc/$REDIS_PID/stat"; }
{
  echo "# $(date -u +%FT%TZ) redis $(redis-server --version | awk '{print $3}') keys/call=$KEYS_PER_CALL runs=$RUNS nice=${BENCH_NICE:-0} load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "clients:pipeline | frames/s | call p50 ms | call p99 ms | redis CPU % of a core | redis CPU µs/frame | load avg after"
  for step in "${STEPS[@]}"; do
    clients="${step%%:*}"; pipeline="${step##*:}"
    redis-cli -p "$REDIS_PORT" flushall >/dev/null
    before=$(ticks); start=$(date +%s%N)
    csv=$(timeout 60 "${NICE[@]}" redis-benchmark -p "$REDIS_PORT" -c "$clients" -P "$pipeline" -n "$REQUESTS" -r "$RUNS" --csv \
      EVAL "$SCRIPT" "$KEYS_PER_CALL" "${KEY_ARGS[@]}" 10000 3600000 "$FRAME" | tail -1)
    end=$(date +%s%N); after=$(ticks)
    # The test name holds the frame's commas: take the numbers from the end (rps, avg, min, p50, p95, p99, max).
    read -r rps p50 p99 <<<"$(echo "$csv" | awk -F'","' '{n=NF; gsub(/"/, "", $n); print $(n-6), $(n-3), $(n-1)}')"
    wall=$(echo "($end - $start) / 1000000000" | bc -l)
    cpu=$(echo "($after - $before) / 100" | bc -l)
    frames=$(echo "$rps * $KEYS_PER_CALL" | bc -l)
    printf "%s | %.0f | %s | %s | %.0f | %.2f | %s\n" "$step" "$frames" "$p50" "$p99" \
      "$(echo "100 * $cpu / $wall" | bc -l)" "$(echo "$cpu * 1000000 / ($REQUESTS * $KEYS_PER_CALL)" | bc -l)" \
      "$(cut -d' ' -f1 /proc/loadavg)"
  done
} | tee -a "$OUT"
