#!/bin/sh
# Fail-closed gate run as an init container before an app starts: every variable named in REQUIRED_ENV
# (space-separated) must be set and non-empty. Kubernetes already refuses to start a container whose
# secretKeyRef names a missing Secret or key; this also catches a key that exists with an empty value
# (e.g. an empty Vault property), which the app would otherwise read as "not configured".
# Exit codes: 0 all present; 1 some missing or empty (each named on stderr); 2 REQUIRED_ENV empty or bad.
# Values are never printed.
set -u

set -f # names are split on spaces, never globbed
count=0
for name in ${REQUIRED_ENV:-}; do count=$((count + 1)); done
if [ "$count" -eq 0 ]; then
  echo "require-env: REQUIRED_ENV is empty: nothing to check (refusing to pass by default)" >&2
  exit 2
fi

missing=""
for name in $REQUIRED_ENV; do
  case "$name" in
    [A-Za-z_]*) ;;
    *)
      echo "require-env: invalid variable name in REQUIRED_ENV: $name" >&2
      exit 2
      ;;
  esac
  case "$name" in
    *[!A-Za-z0-9_]*)
      echo "require-env: invalid variable name in REQUIRED_ENV: $name" >&2
      exit 2
      ;;
  esac
  value=$(printenv "$name") || value=""
  if [ -z "$value" ]; then
    missing="$missing $name"
  fi
done

if [ -n "$missing" ]; then
  echo "require-env: missing or empty:$missing" >&2
  exit 1
fi
echo "require-env: all required variables are set: $REQUIRED_ENV"
