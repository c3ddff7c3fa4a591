# Sourced by .ci/run and the scripts in bin/: exports JAVA_HOME pointing at a JDK 25 or newer.
# Keeps a JAVA_HOME that is already new enough; otherwise looks where JDKs are installed.
jdk_major() {
  local release="$1/release"
  [ -x "$1/bin/javac" ] && [ -f "$release" ] || { echo 0; return; }
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  echo "${v:-0}"
}
select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(jdk_major "$JAVA_HOME")" -ge 25 ]; then
    return 0
  fi
  local candidate best="" best_major=0
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$candidate" ] || continue
    local major
    major=$(jdk_major "$candidate")
    if [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "No JDK 25 or newer found (looked at JAVA_HOME and /usr/lib/jvm). Install one, e.g. Temurin 25." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
select_jdk
export PATH="$JAVA_HOME/bin:$PATH"
