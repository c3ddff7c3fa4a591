# Sourced by ./mvnw, ./run and .ci/*: exports JAVA_HOME pointing at a JDK 25 or newer.
# Keeps a JAVA_HOME that is already new enough; otherwise looks at the `javac` on PATH and where JDKs are
# usually installed, and takes the newest. With none, says in one line which Java it found and returns 1.
# POSIX sh: ./mvnw runs under /bin/sh with `set -euf`, so globbing is switched on here and restored.
runrelay_jdk_major() {
  [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || { echo 0; return 0; }
  runrelay_v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  echo "${runrelay_v:-0}"
}

runrelay_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(runrelay_jdk_major "$JAVA_HOME")" -ge 25 ]; then
    return 0
  fi
  runrelay_path_jdk=""
  if runrelay_javac=$(command -v javac 2>/dev/null); then
    runrelay_path_jdk=$(dirname "$(dirname "$(readlink -f "$runrelay_javac" 2>/dev/null || echo "$runrelay_javac")")")
  fi
  runrelay_best="" runrelay_best_major=0
  case $- in *f*) runrelay_noglob=1; set +f ;; *) runrelay_noglob=0 ;; esac
  for runrelay_candidate in $runrelay_path_jdk /usr/lib/jvm/* /opt/java/* /opt/jdk* \
      "${HOME:-/nonexistent}"/.sdkman/candidates/java/* "${HOME:-/nonexistent}"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$runrelay_candidate" ] || continue
    runrelay_major=$(runrelay_jdk_major "$runrelay_candidate")
    if [ "$runrelay_major" -ge 25 ] && [ "$runrelay_major" -gt "$runrelay_best_major" ]; then
      runrelay_best="$runrelay_candidate" runrelay_best_major="$runrelay_major"
    fi
  done
  [ "$runrelay_noglob" = 0 ] || set -f
  if [ -z "$runrelay_best" ]; then
    runrelay_found=$( { if [ -n "${JAVA_HOME:-}" ]; then "$JAVA_HOME/bin/java" -version; else java -version; fi; } 2>&1 | head -n 1)
    echo "RunRelay needs a JDK 25 or newer, but found only ${runrelay_found:-no Java} (JAVA_HOME=${JAVA_HOME:-unset}; also looked in /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks): install one, e.g. Temurin 25, or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$runrelay_best"
  export JAVA_HOME
}

runrelay_select_jdk
