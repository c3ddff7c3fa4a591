#!/usr/bin/env bash
# series.sh SERIES SCENARIO PROVIDER label=jar ...   (label "base" = TARGET=baseline)
set -u
cd /work/wt/s6-cpu
S=$1; SC=$2; P=$3; shift 3
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
i=0
for spec in "$@"; do
  i=$((i+1))
  label=${spec%%=*}; jar=${spec#*=}
  tag="s6-$S-$i-$label"
  if [[ $label == base ]]; then
    flock /work/bench.lock sh -c "echo \"\$(date -u +%T) start $tag $SC $P load \$(cut -d' ' -f1-3 /proc/loadavg)\" >> bench/results/issue12-s6/series.log; env APP_PORT=28580 TARGET=baseline RESULT_TAG=$tag bench/run.sh $SC" > /tmp/$tag-$SC.out 2>&1
  else
    flock /work/bench.lock sh -c "echo \"\$(date -u +%T) start $tag $SC $P $jar load \$(cut -d' ' -f1-3 /proc/loadavg)\" >> bench/results/issue12-s6/series.log; env APP_PORT=28580 PROVIDER=$P APP_JAR=$jar RESULT_TAG=$tag bench/run.sh $SC" > /tmp/$tag-$SC.out 2>&1
  fi
  grep "^| $SC" /tmp/$tag-$SC.out | tail -1 | sed "s/^/$tag /" | tee -a bench/results/issue12-s6/series.log
  sleep ${GAP:-20}
done
