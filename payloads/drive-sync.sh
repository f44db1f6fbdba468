#!/bin/sh
# drive-sync.sh — mirror a (read-only) rclone remote folder onto the volume a web server publishes, without
# ever wiping the live site because the remote answered with a partial or empty listing. POSIX sh; runs in
# the rclone/rclone image (busybox + rclone).
#
# Environment:
#   SRC               rclone source, e.g. "gdrive:stem claude/files"                       (required)
#   DEST              local destination directory, e.g. /data                              (required)
#   REQUIRED_FILE     a file name that must be listed at the top of SRC, e.g. stem_board.html (required)
#   MAX_DELETE        most files one run may delete; integer >= 1 without leading zeros (default 25)
#   RCLONE_CONFIG_SRC optional rclone.conf to use (typically a read-only mounted secret). rclone rewrites
#                     its config when it refreshes an OAuth token, so the file is copied to a private
#                     temporary file and rclone is pointed at the copy through RCLONE_CONFIG. The copy is
#                     removed on exit. If it is set but cannot be read, the run fails (exit 2).
#
# Steps and safety rules:
#   1. `rclone lsf "$SRC" --files-only`. If the listing fails (expired token, network, missing remote) exit 1,
#      so the Job shows as failed.
#   2. If the listing is empty, or REQUIRED_FILE is not one of its lines (exact match: old_stem_board.html
#      does not count), exit 0 without syncing: the remote is probably mid-upload or mis-shared and the
#      site stays as it is.
#   3. `rclone sync "$SRC" "$DEST" --exclude ".DS_Store" --fast-list --transfers 4 --max-delete "$MAX_DELETE" -v`;
#      --max-delete caps the damage of a listing that is partial but still holds REQUIRED_FILE.
#
# Exit codes: 0 synced or deliberately skipped; 1 listing failed or the config copy failed; 2 invalid
# environment (one message on stderr, rclone not called); otherwise rclone sync's own exit code.

say() { printf 'drive-sync: %s\n' "$*"; }
invalid() {
  printf 'drive-sync: invalid environment: %s\n' "$*" >&2
  exit 2
}

[ -n "${SRC:-}" ] || invalid 'SRC (rclone source, e.g. "gdrive:folder") is required'
# An rclone remote ("name:path"): a bare local path would mirror the pod's own disk onto the site.
printf '%s' "$SRC" | grep -Eq '^[A-Za-z0-9_][A-Za-z0-9_. -]*:' ||
  invalid "SRC must name an rclone remote as \"remote:path\", got '$SRC'"
[ -n "${DEST:-}" ] || invalid 'DEST (destination directory) is required'
case $DEST in /*) ;; *) invalid "DEST must be an absolute path, got '$DEST'" ;; esac
[ -n "${REQUIRED_FILE:-}" ] || invalid 'REQUIRED_FILE (file that must be present in SRC) is required'
case $REQUIRED_FILE in
  */* | *'
'*) invalid "REQUIRED_FILE must be a plain file name, got '$REQUIRED_FILE'" ;;
esac
MAX_DELETE=${MAX_DELETE:-25}
case $MAX_DELETE in
  '' | *[!0-9]* | 0*) invalid "MAX_DELETE must be an integer >= 1, got '$MAX_DELETE'" ;;
esac
[ "${#MAX_DELETE}" -le 9 ] || invalid "MAX_DELETE '$MAX_DELETE' is too large"

workdir=''
cleanup() { [ -z "$workdir" ] || rm -rf "$workdir"; }
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

if [ -n "${RCLONE_CONFIG_SRC:-}" ]; then
  [ -f "$RCLONE_CONFIG_SRC" ] && [ -r "$RCLONE_CONFIG_SRC" ] ||
    invalid "RCLONE_CONFIG_SRC '$RCLONE_CONFIG_SRC' is not a readable file"
  if ! workdir=$(mktemp -d) || ! (umask 077 && cp "$RCLONE_CONFIG_SRC" "$workdir/rclone.conf"); then
    say "cannot copy $RCLONE_CONFIG_SRC to a writable temporary file" >&2
    exit 1
  fi
  RCLONE_CONFIG="$workdir/rclone.conf"
  export RCLONE_CONFIG
fi

if ! listing=$(rclone lsf "$SRC" --files-only); then
  say "listing $SRC failed (expired token? unreachable remote?); not syncing" >&2
  exit 1
fi

count=$(printf '%s\n' "$listing" | grep -c .)
if [ "$count" -eq 0 ]; then
  say "listing of $SRC is empty; leaving $DEST untouched"
  exit 0
fi
if ! printf '%s\n' "$listing" | grep -Fxq -- "$REQUIRED_FILE"; then
  say "$REQUIRED_FILE is not among the $count file(s) in $SRC (partial listing?); leaving $DEST untouched"
  exit 0
fi

say "$count file(s) in $SRC including $REQUIRED_FILE; syncing to $DEST (max-delete $MAX_DELETE)"
rclone sync "$SRC" "$DEST" --exclude ".DS_Store" --fast-list --transfers 4 --max-delete "$MAX_DELETE" -v
rc=$?
if [ "$rc" -ne 0 ]; then
  say "rclone sync failed with exit code $rc" >&2
  exit "$rc"
fi
say "sync complete"
exit 0
