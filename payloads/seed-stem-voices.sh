#!/bin/sh
# seed-stem-voices.sh — init container of the Chatterbox TTS Deployment (stacks/tts.ts).
#
# Clients ask for a voice by its bare stem ("Emily"), and the server looks the name up as a literal file
# name: first in the image's predefined voices, then in the reference-audio directory. The image ships
# "Emily.wav", so the stem alone is never found. This copies every bundled voice into the reference-audio
# directory (on the NFS volume) under its extension-less name. Symlinks do not work: the server resolves
# them and then refuses a target outside the directory. Existing files are never overwritten, so a
# re-run (every pod start) only costs a directory listing.
#
# Environment:
#   VOICES_DIR   bundled voices (default /app/voices); *.wav and *.mp3 are copied
#   TARGET_DIR   reference-audio directory to seed (default /data/reference_audio); created if missing
#
# Exit codes: 0 seeded (or nothing to do), 1 a directory or copy failed (the pod does not start), 2 invalid
# environment: a relative path, or VOICES_DIR missing (the image moved its voices; seeding nothing would
# leave every stem unknown).
set -eu

voices=${VOICES_DIR:-/app/voices}
target=${TARGET_DIR:-/data/reference_audio}

invalid() {
  printf 'seed-stem-voices: invalid environment: %s\n' "$*" >&2
  exit 2
}
case $voices in /*) ;; *) invalid "VOICES_DIR must be an absolute path, got '$voices'" ;; esac
case $target in /*) ;; *) invalid "TARGET_DIR must be an absolute path, got '$target'" ;; esac
[ -d "$voices" ] || invalid "VOICES_DIR '$voices' is not a directory"

mkdir -p "$target"
copied=0
kept=0
for src in "$voices"/*.wav "$voices"/*.mp3; do
  [ -f "$src" ] || continue # an unmatched glob stays literal
  name=$(basename "$src")
  stem=${name%.*}
  if [ -e "$target/$stem" ]; then
    kept=$((kept + 1))
    continue
  fi
  # Copy to a temporary name first so an interrupted copy never leaves a truncated voice behind.
  cp "$src" "$target/.$stem.partial"
  mv "$target/.$stem.partial" "$target/$stem"
  copied=$((copied + 1))
done
echo "seed-stem-voices: copied $copied, kept $kept existing, from $voices to $target"
