#!/bin/sh
# usage: bind-series.sh LABEL SCENARIO "ENV..." ...   (each arg after the scenario: one run's env; tag = LABEL-<n>)
cd /work/wt/s5-bind
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
label=$1; scenario=$2; shift 2
n=0
for x in "$@"; do
  n=$((n+1))
  echo "== $label-$n [$x] start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  env $x APP_PORT=28480 RESULT_TAG=$label-$n bench/run.sh $scenario 2>&1 | grep -E "^\||results written|profile:|rror" | tail -4
  [ -f bench/results/2026-12-03-$scenario-app.jfr ] && mv bench/results/2026-12-03-$scenario-app.jfr /tmp/bind-$label-$n.jfr
done
echo "== end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
