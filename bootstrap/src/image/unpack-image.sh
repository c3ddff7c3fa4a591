#!/bin/sh
# Unpacks an OCI image tarball (Jib's buildTar) into a root file system: its layers in the manifest's order.
# Usage: unpack-image.sh <image.tar> <root file system>     (bench/run.sh startup-image; no container runtime needed)
set -eu
# shellcheck disable=SC2086 # $quiet is empty or one flag
tarball="$1" root="$2"
oci="$root.oci"
rm -rf "$root" "$oci"
mkdir -p "$root" "$oci"
tar -xf "$tarball" -C "$oci"
quiet=""  # Jib's layers carry libarchive's creation-time headers, unknown to GNU tar: one warning per file
tar --help 2>/dev/null | grep -q -- '--warning' && quiet="--warning=no-unknown-keyword"
blob() { echo "$oci/blobs/sha256/${1#sha256:}"; }
manifest=$(blob "$(grep -o '"digest":"sha256:[0-9a-f]*"' "$oci/index.json" | head -n 1 | cut -d'"' -f4)")
# The manifest names the config first, then the layers, in order.
for layer in $(grep -o '"digest":"sha256:[0-9a-f]*"' "$manifest" | tail -n +2 | cut -d'"' -f4); do
  tar $quiet -xzf "$(blob "$layer")" -C "$root"
done
config=$(blob "$(grep -o '"digest":"sha256:[0-9a-f]*"' "$manifest" | head -n 1 | cut -d'"' -f4)")
cp "$config" "$root.config.json"
rm -rf "$oci"
