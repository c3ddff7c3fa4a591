#!/bin/sh
# The image's own root file system, for a FROM scratch image (bootstrap/pom.xml, profile "image"):
# a jlink'd Java runtime in /opt/java, the glibc it links against (from this machine), and a writable /tmp.
# Usage: image-root.sh <JDK 25 home> <output directory>
set -eu
jdk="$1" out="$2"
rm -rf "$out"
mkdir -p "$out/opt" "$out/lib/x86_64-linux-gnu" "$out/lib64" "$out/tmp"
# java.se for Spring (java.desktop for java.beans, java.sql, java.naming, ...), jdk.unsupported for Netty and
# Reactor, jdk.crypto.ec for TLS to the provider, jdk.management for the actuator's JVM metrics.
"$jdk/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 --output "$out/opt/java"
# What the runtime's binaries and libraries link against (ldd), e.g. libc, libm, libz, and the loader.
for lib in $(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
    | awk '/=> \// {print $3}' | sort -u); do
  case "$lib" in
    */libX*|*/libxcb*|*/libasound*|*/libfreetype*|*/libbsd*|*/libmd*) ;;  # AWT's, not loaded headless
    "$out"/*) ;;                                                          # the runtime's own
    *) cp -L "$lib" "$out/lib/x86_64-linux-gnu/" ;;
  esac
done
cp -L /lib64/ld-linux-x86-64.so.2 "$out/lib64/"
