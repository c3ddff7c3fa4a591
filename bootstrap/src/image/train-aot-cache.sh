#!/bin/sh
# The image's JDK AOT cache (JEP 483/514/515), recorded by the image's own Java runtime in the image's own file
# system, so that the cache matches what the container runs: the same JVM (the jlink'd /opt/java), the same jar
# paths (/app), the same file times (Jib gives every file 1970-01-01T00:00:01Z, and the cache checks each jar's)
# and the same flags as the entrypoint (bootstrap/pom.xml, profile "image"). One training start: the sandbox app
# starts, answers /readyz and the page, and exits (AotTrainingRun). Without root or user namespaces the image
# is built without a cache, and says so.
# Usage: train-aot-cache.sh <image root (runtime, glibc)> <app dir (the extracted jar, goes to /app)> <work dir>
set -eu
image_root="$1" app="$2" work="$3"
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$work" "$app/runrelay.aot"
mkdir -p "$work"
cp -a "$image_root/." "$work/"
mkdir -p "$work/app"
cp -a "$app/." "$work/app/"
find "$work/app" -exec touch -h -d @1 {} +
chmod 1777 "$work/tmp"
if ! "$here/run-in-image.sh" "$work" /opt/java/bin/java -XX:AOTCacheOutput=/tmp/runrelay.aot -XX:+UseCompactObjectHeaders -Xlog:aot=error \
    --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError -Drunrelay.aot-training=true -Dspring.aot.enabled=true \
    -jar /app/runrelay.jar --server.port=0 --management.server.port=0 --runrelay.provider=sandbox \
    --spring.main.banner-mode=off --logging.level.root=WARN; then
  echo "train-aot-cache: the training run failed (needs root or user namespaces): the image has no AOT cache" >&2
  exit 0
fi
cp "$work/tmp/runrelay.aot" "$app/runrelay.aot"
rm -rf "$work"
