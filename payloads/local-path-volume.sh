#!/bin/sh
# Volume directory hook of the local-path provisioner, installed under both ConfigMap keys it runs:
# `setup` creates the volume directory, `teardown` removes it (the action is the name it runs as, or
# the first argument). The provisioner hands the directory in VOL_DIR; it must be a directory strictly
# below LOCAL_PATH_ROOT (default /opt/local-path-provisioner), so a bad or empty VOL_DIR can never make
# teardown delete anything else.
# Exit codes: 0 done; 1 action failed; 2 bad VOL_DIR or unknown action.
set -eu

root="${LOCAL_PATH_ROOT:-/opt/local-path-provisioner}"
action="${1:-$(basename "$0")}"
dir="${VOL_DIR:-}"

case "$dir" in
  "$root"/?*) ;;
  *)
    echo "local-path-volume: VOL_DIR '$dir' is not below $root: refusing" >&2
    exit 2
    ;;
esac
case "$dir" in
  *'/../'* | *'/..' | *'/./'* | *'/.')
    echo "local-path-volume: VOL_DIR '$dir' has . or .. segments: refusing" >&2
    exit 2
    ;;
esac

case "$action" in
  setup) mkdir -m 0777 -p "$dir" ;;
  teardown) rm -rf "$dir" ;;
  *)
    echo "local-path-volume: unknown action '$action' (setup or teardown)" >&2
    exit 2
    ;;
esac
