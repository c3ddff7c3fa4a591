#!/bin/sh
# Runs a command inside an image's root file system the way a container runtime would, without one: its own
# mount and PID namespaces (so the /proc and /dev mounted here vanish with it), chroot into the root, as the
# image's user 65532:65532. Needs root, or unprivileged user namespaces (then as the mapped root user).
# Usage: run-in-image.sh <root file system> <command> [arguments...]
# Used by train-aot-cache.sh (the image's AOT cache) and bench/run.sh startup-image.
set -eu
root="$(cd "$1" && pwd)"; shift
mkdir -p "$root/proc" "$root/dev"
if [ "$(id -u)" = 0 ]; then
  user="--userspec=65532:65532"; unshare_flags="--mount --pid --fork --kill-child"
else
  user=""; unshare_flags="--map-root-user --mount --pid --fork --kill-child"
fi
# shellcheck disable=SC2086 # flag lists
unshare $unshare_flags sh -c '
  root="$1" user="$2"; shift 2
  mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" || exit 1
  exec chroot $user "$root" "$@"' sh "$root" "$user" "$@" &
namespace=$!
# unshare --fork ignores SIGTERM and SIGINT itself: hand them to the app (its graceful shutdown), as a runtime would.
forward() {
  for child in $(cat "/proc/$namespace/task/$namespace/children" 2>/dev/null); do kill "-$1" "$child" 2>/dev/null || true; done
}
trap 'forward TERM' TERM
trap 'forward INT' INT
while :; do
  if wait "$namespace"; then status=0; else status=$?; fi
  kill -0 "$namespace" 2>/dev/null || break
done
exit "$status"
