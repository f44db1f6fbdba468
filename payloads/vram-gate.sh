#!/usr/bin/env bash
# vram-gate.sh — admit or evict a best-effort GPU tenant on a shared, time-sliced card based on how much
# VRAM the resident tenants are using right now. Run by CronJobs (image with bash, curl, awk, kubectl and
# an in-cluster service account allowed to get/patch the Deployment's scale).
#
# Environment (nothing else is read):
#   ACTION       up | down | guard | demand                                          (required)
#   FLOOR        bytes of free VRAM the tenant needs; integer, 0 < FLOOR < GPU_TOTAL  (required)
#   GPU_TOTAL    bytes of VRAM on the card; positive integer <= 2^53 (default 17179869184 = 16 GiB)
#   METRICS_URL  Prometheus endpoint exposing gpu_pod_memory_used_bytes
#                (default http://gpu-pod-exporter.nvidia.svc.cluster.local:80/metrics)
#   QUEUE_URL    JSON endpoint answering {"queued": N, ...}          (required for ACTION=demand)
#   NAMESPACE    namespace of the Deployment (default tts)
#   DEPLOYMENT   Deployment to scale          (default chatterbox-tts)
#
# USED = sum of every gpu_pod_memory_used_bytes sample (any labels), FREE = GPU_TOTAL - USED.
#   up      scale to 1 if FREE >= FLOOR, otherwise leave it alone.
#   guard   scale to 0 if FREE <  FLOOR (a resident woke up: give the card back).
#   down    scale to 0, always (end of the window).
#   demand  read "queued" from QUEUE_URL and the current replica count; queued > 0 with 0 replicas and
#           FREE >= FLOOR -> scale to 1; queued == 0 with replicas != 0 -> scale to 0; else nothing.
#           The metrics are only scraped when a scale-up is being considered.
#
# Fail-safe rules. A scrape is FAILED when curl fails (connection error, timeout, HTTP status >= 400) and
# UNPARSEABLE when the body is not Prometheus text exposition format, namely when:
#   - it has no non-blank line at all (the exporter always prints its HELP/TYPE lines, even when idle);
#   - a non-comment line is not `name[{labels}] value [timestamp]` (HTML, JSON, truncated label sets...);
#   - a gpu_pod_memory_used_bytes sample's value is not a finite, non-negative decimal number
#     (NaN, Inf, negative, hex, text);
#   - the gpu_pod_memory_used_bytes family appears nowhere (no HELP/TYPE line, no sample): wrong endpoint.
# A parseable body with the family declared but no samples means an idle card (USED = 0).
# A failed or unparseable scrape never scales UP (up/demand log why and exit 0) and never blocks yielding
# (down/guard carry on with USED = 0, demand still scales an idle tenant to 0). A queue that cannot be
# fetched, or whose body has no "queued": <non-negative integer>, means no action at all (exit 0).
# Sums are exact for integer byte counts (doubles are exact up to 2^53; printed with %.0f, never %d,
# which truncates to 32 bits in mawk and busybox awk). A sum above 2^53 is clamped there (= card full).
#
# Exit codes: 0 decision made (scaled or deliberately not), 1 kubectl failed (get or scale) or printed
# an unusable replica count, 2 invalid environment (one line on stderr, before any network call).
set -uo pipefail

readonly MAX_EXACT=9007199254740992 # 2^53

log() { printf 'vram-gate: %s\n' "$*"; }
invalid() {
  printf 'vram-gate: invalid environment: %s\n' "$*" >&2
  exit 2
}

# A positive integer that bash arithmetic and awk doubles both hold exactly (<= 2^53). Echoes it without
# leading zeros (bash would otherwise read 010 as octal).
parse_count() {
  local v=$1
  [[ $v =~ ^[0-9]+$ ]] || return 1
  v=${v#"${v%%[!0]*}"}
  [[ -n $v && ${#v} -le 16 ]] || return 1
  ((v <= MAX_EXACT)) || return 1
  printf '%s' "$v"
}

ACTION=${ACTION:-}
GPU_TOTAL_RAW=${GPU_TOTAL:-17179869184}
METRICS_URL=${METRICS_URL:-http://gpu-pod-exporter.nvidia.svc.cluster.local:80/metrics}
QUEUE_URL=${QUEUE_URL:-}
NAMESPACE=${NAMESPACE:-tts}
DEPLOYMENT=${DEPLOYMENT:-chatterbox-tts}

case $ACTION in
  up | down | guard | demand) ;;
  '') invalid 'ACTION is required (up|down|guard|demand)' ;;
  *) invalid "ACTION '$ACTION' is not one of up|down|guard|demand" ;;
esac
GPU_TOTAL=$(parse_count "$GPU_TOTAL_RAW") || invalid "GPU_TOTAL '$GPU_TOTAL_RAW' must be a positive integer number of bytes <= 2^53"
[[ -n ${FLOOR:-} ]] || invalid 'FLOOR (free VRAM needed, in bytes) is required'
FLOOR_RAW=$FLOOR
FLOOR=$(parse_count "$FLOOR_RAW") || invalid "FLOOR '$FLOOR_RAW' must be a positive integer number of bytes"
((FLOOR < GPU_TOTAL)) || invalid "FLOOR ($FLOOR) must be below GPU_TOTAL ($GPU_TOTAL)"
# A host must be written out (no 'http:///', no userinfo): host[:port] then an optional path.
url_re='^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^[:space:]]*)?$'
[[ $METRICS_URL =~ $url_re ]] || invalid "METRICS_URL '$METRICS_URL' is not an http(s) URL with a host"
if [[ $ACTION == demand ]]; then
  [[ -n $QUEUE_URL ]] || invalid 'QUEUE_URL is required for ACTION=demand'
  [[ $QUEUE_URL =~ $url_re ]] || invalid "QUEUE_URL '$QUEUE_URL' is not an http(s) URL with a host"
fi
[[ $NAMESPACE =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || invalid "NAMESPACE '$NAMESPACE' is not a valid namespace name"
[[ $DEPLOYMENT =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || invalid "DEPLOYMENT '$DEPLOYMENT' is not a valid name"

# Reads an exposition-format body on stdin; prints "OK <samples> <used bytes>" or "ERR <reason>".
# Portable across mawk, gawk and busybox awk (no regex intervals, no gawk extensions).
sum_used_bytes() {
  awk -v max="$MAX_EXACT" '
    function fail(why) { err = why; exit }
    BEGIN { used = 0; samples = 0; lines = 0; family = 0; err = "" }
    {
      line = $0
      sub(/\r$/, "", line)
      sub(/^[ \t]+/, "", line)
      if (line == "") next
      lines++
      if (substr(line, 1, 1) == "#") {
        if (line ~ /^#[ \t]+(HELP|TYPE)[ \t]+gpu_pod_memory_used_bytes([ \t]|$)/) family = 1
        next
      }
      if (!match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*/)) fail("line " NR " is not a metric sample")
      name = substr(line, 1, RLENGTH)
      rest = substr(line, RLENGTH + 1)
      if (substr(rest, 1, 1) == "{") {
        # Skip the label set; label values are quoted and may contain } or escaped quotes.
        n = length(rest); inq = 0; endb = 0
        for (i = 2; i <= n; i++) {
          c = substr(rest, i, 1)
          if (inq) { if (c == "\\") i++; else if (c == "\"") inq = 0 }
          else if (c == "\"") inq = 1
          else if (c == "}") { endb = i; break }
        }
        if (!endb) fail("line " NR " has an unterminated label set")
        rest = substr(rest, endb + 1)
      }
      if (rest !~ /^[ \t]/) fail("line " NR " has no value")
      sub(/^[ \t]+/, "", rest)
      sub(/[ \t]+$/, "", rest)
      nf = split(rest, f, /[ \t]+/)
      if (nf < 1 || nf > 2) fail("line " NR " is not name[{labels}] value [timestamp]")
      if (nf == 2 && f[2] !~ /^-?[0-9]+$/) fail("line " NR " has a bad timestamp")
      if (name != "gpu_pod_memory_used_bytes") next
      family = 1
      if (f[1] !~ /^[+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/)
        fail("gpu_pod_memory_used_bytes value \"" f[1] "\" on line " NR " is not a non-negative number")
      used += f[1] + 0
      samples++
    }
    END {
      if (err != "") { print "ERR " err; exit }
      if (lines == 0) { print "ERR empty body"; exit }
      if (!family) { print "ERR no gpu_pod_memory_used_bytes family in the body (wrong endpoint?)"; exit }
      if (used > max) used = max
      printf "OK %d %.0f\n", samples, used
    }'
}

# Sets USED (bytes) and returns 0, or logs why the scrape is unusable and returns 1.
scrape() {
  local body result
  if ! body=$(curl -fsS --max-time 10 "$METRICS_URL" 2>&1); then
    log "metrics scrape of $METRICS_URL failed: ${body//$'\n'/ }"
    return 1
  fi
  result=$(printf '%s\n' "$body" | sum_used_bytes) || result="ERR awk failed"
  if [[ $result =~ ^OK\ ([0-9]+)\ ([0-9]+)$ ]]; then
    USED=${BASH_REMATCH[2]}
    log "scraped ${BASH_REMATCH[1]} gpu_pod_memory_used_bytes sample(s) from $METRICS_URL"
    return 0
  fi
  log "metrics from $METRICS_URL are unparseable: ${result#ERR }"
  return 1
}

scale() {
  local n=$1
  if ! kubectl scale "deployment/$DEPLOYMENT" "--replicas=$n" -n "$NAMESPACE"; then
    printf 'vram-gate: kubectl scale deployment/%s --replicas=%s -n %s failed\n' "$DEPLOYMENT" "$n" "$NAMESPACE" >&2
    exit 1
  fi
}

# Fills USED/FREE from a scrape; on failure either refuses (returns 1) or assumes an idle card.
measure() {
  local on_failure=$1 # refuse | assume-idle
  USED=0
  if ! scrape; then
    if [[ $on_failure == refuse ]]; then return 1; fi
    log "assuming used=0 so that yielding the card is never blocked"
    USED=0
  fi
  FREE=$((GPU_TOTAL - USED))
  return 0
}

state() { printf 'used=%s free=%s floor=%s total=%s' "$USED" "$FREE" "$FLOOR" "$GPU_TOTAL"; }
target="deployment/$DEPLOYMENT in $NAMESPACE"

case $ACTION in
  up)
    if ! measure refuse; then
      log "action=up: no usable VRAM reading -> NOT scaling up $target (fail-safe)"
      exit 0
    fi
    if ((FREE >= FLOOR)); then
      log "action=up $(state): free >= floor -> scaling $target to 1"
      scale 1
    else
      log "action=up $(state): free < floor -> leaving $target alone"
    fi
    ;;
  guard)
    measure assume-idle
    if ((FREE < FLOOR)); then
      log "action=guard $(state): free < floor -> yielding the card, scaling $target to 0"
      scale 0
    else
      log "action=guard $(state): free >= floor -> nothing to do"
    fi
    ;;
  down)
    measure assume-idle
    log "action=down $(state): window end -> scaling $target to 0"
    scale 0
    ;;
  demand)
    if ! qbody=$(curl -fsS --max-time 10 "$QUEUE_URL" 2>&1); then
      log "action=demand: queue $QUEUE_URL unreachable (${qbody//$'\n'/ }) -> no action"
      exit 0
    fi
    if [[ $qbody =~ \"queued\"[[:space:]]*:[[:space:]]*([0-9]+)[[:space:]]*([,}]|$) ]]; then
      queued=${BASH_REMATCH[1]}
    else
      log "action=demand: no \"queued\": <integer> in the queue response -> no action"
      exit 0
    fi
    [[ $queued =~ ^0+$ ]] && queued=0
    if ! replicas=$(kubectl get deployment "$DEPLOYMENT" -n "$NAMESPACE" -o 'jsonpath={.spec.replicas}'); then
      printf 'vram-gate: kubectl get deployment %s -n %s failed\n' "$DEPLOYMENT" "$NAMESPACE" >&2
      exit 1
    fi
    if ! [[ $replicas =~ ^[0-9]+$ ]]; then
      printf 'vram-gate: kubectl returned replicas "%s" for %s, not a number\n' "$replicas" "$target" >&2
      exit 1
    fi
    [[ $replicas =~ ^0+$ ]] && replicas=0
    if [[ $queued != 0 && $replicas == 0 ]]; then
      if ! measure refuse; then
        log "action=demand queued=$queued replicas=0: no usable VRAM reading -> NOT scaling up $target (fail-safe)"
        exit 0
      fi
      if ((FREE >= FLOOR)); then
        log "action=demand queued=$queued replicas=0 $(state): free >= floor -> scaling $target to 1"
        scale 1
      else
        log "action=demand queued=$queued replicas=0 $(state): free < floor -> leaving $target at 0"
      fi
    elif [[ $queued == 0 && $replicas != 0 ]]; then
      log "action=demand queued=0 replicas=$replicas: queue drained -> scaling $target to 0"
      scale 0
    else
      log "action=demand queued=$queued replicas=$replicas: nothing to do"
    fi
    ;;
esac
exit 0
