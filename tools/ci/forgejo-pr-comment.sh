#!/bin/sh
# forgejo-pr-comment.sh — creates or updates this tool's comment(s) on a Forgejo pull request, in place.
#
#   FORGEJO_URL=https://forgejo.example.org FORGEJO_TOKEN=... REPO=owner/name PR_NUMBER=42 \
#     tools/ci/forgejo-pr-comment.sh comment-1.md [comment-2.md ...]
#
# Each file is one comment body and must start with a hidden marker `<!-- infra-cdktf:... -->` (the plan
# comment and the synth diff both write one). "Our" comments are the pull request's comments whose body
# starts with `<!-- infra-cdktf:`, oldest first: file k updates our k-th comment (PATCH), files beyond our
# comments are created (POST), and our comments beyond the files are deleted — so a plan that shrinks from
# three parts to one leaves one comment, and a plan replaces an earlier synth diff in place.
#
# The token is sent in a header read by curl from stdin (`-K -`): it never appears in argv or output.
# Exit: 0 done; 1 the API or the network failed (one message naming the request and the HTTP status);
# 2 bad configuration or input. POSIX sh + curl + jq.
set -eu

PREFIX='<!-- infra-cdktf:'
me=forgejo-pr-comment

die() { # die CODE MESSAGE
  printf '%s: %s\n' "$me" "$2" >&2
  exit "$1"
}

[ "$#" -gt 0 ] || die 2 "usage: FORGEJO_URL=... FORGEJO_TOKEN=... REPO=owner/name PR_NUMBER=N $0 comment-1.md [comment-2.md ...]"

FORGEJO_URL=${FORGEJO_URL:-}
FORGEJO_TOKEN=${FORGEJO_TOKEN:-}
REPO=${REPO:-}
PR_NUMBER=${PR_NUMBER:-}
[ -n "$FORGEJO_URL" ] || die 2 'FORGEJO_URL is not set (e.g. https://forgejo.example.org)'
case "$FORGEJO_URL" in
  http://* | https://*) ;;
  *) die 2 "FORGEJO_URL must start with http:// or https:// (got $FORGEJO_URL)" ;;
esac
FORGEJO_URL=${FORGEJO_URL%/}
[ -n "$FORGEJO_TOKEN" ] || die 2 'FORGEJO_TOKEN is not set (a Forgejo access token that may write issues of the repository)'
case "$FORGEJO_TOKEN" in
  *[!A-Za-z0-9_.-]*) die 2 'FORGEJO_TOKEN has characters an access token never has' ;;
esac
case "$REPO" in
  '' | */*/* | /* | */ | *[!A-Za-z0-9_./-]*) die 2 "REPO must be owner/name (got '$REPO')" ;;
  */*) ;;
  *) die 2 "REPO must be owner/name (got '$REPO')" ;;
esac
case "$PR_NUMBER" in
  '' | *[!0-9]* | 0*) die 2 "PR_NUMBER must be a pull request number (got '$PR_NUMBER')" ;;
esac
command -v curl >/dev/null 2>&1 || die 2 'curl is not installed'
command -v jq >/dev/null 2>&1 || die 2 'jq is not installed'

for f in "$@"; do
  [ -f "$f" ] && [ -r "$f" ] || die 2 "$f: no such file"
  [ -s "$f" ] || die 2 "$f: empty comment"
  case "$(head -c ${#PREFIX} "$f")" in
    "$PREFIX") ;;
    *) die 2 "$f: does not start with a '$PREFIX...-->' marker (it could not be found again to update it)" ;;
  esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

api_base="$FORGEJO_URL/api/v1/repos/$REPO"

# api METHOD PATH [BODY_FILE] — response body in $tmp/response; dies unless the status is 2xx.
api() {
  method=$1
  url="$api_base$2"
  body=${3:-}
  set -- -sS -o "$tmp/response" -w '%{http_code}' -K - -X "$method" \
    -H 'Accept: application/json' --connect-timeout 10 --max-time 60
  if [ -n "$body" ]; then set -- "$@" -H 'Content-Type: application/json' --data-binary "@$body"; fi
  rc=0
  status=$(printf 'header = "Authorization: token %s"\n' "$FORGEJO_TOKEN" | curl "$@" "$url" 2>"$tmp/curl-err") || rc=$?
  if [ "$rc" -ne 0 ]; then
    die 1 "$method $url: request failed (curl exit $rc: $(head -c 300 "$tmp/curl-err" | tr '\n' ' '))"
  fi
  case "$status" in
    2??) ;;
    *)
      why=$(jq -r '.message // empty' "$tmp/response" 2>/dev/null || true)
      [ -n "$why" ] || why=$(head -c 300 "$tmp/response" | tr '\n' ' ')
      die 1 "$method $url failed: HTTP $status${why:+: $why}"
      ;;
  esac
}

# Our existing comments, oldest first.
api GET "/issues/$PR_NUMBER/comments"
jq -r --arg p "$PREFIX" \
  'if type == "array" then [.[] | select((.body // "") | startswith($p)) | .id] | sort | .[] else error("not a list") end' \
  "$tmp/response" >"$tmp/ours" 2>/dev/null || die 1 "GET $api_base/issues/$PR_NUMBER/comments: the response is not a list of comments"

for f in "$@"; do
  jq -Rs '{body: .}' <"$f" >"$tmp/body.json"
  id=$(head -n 1 "$tmp/ours")
  if [ -n "$id" ]; then
    sed 1d "$tmp/ours" >"$tmp/ours.next" && mv "$tmp/ours.next" "$tmp/ours"
    api PATCH "/issues/comments/$id" "$tmp/body.json"
    printf 'updated comment %s (%s)\n' "$id" "$f"
  else
    api POST "/issues/$PR_NUMBER/comments" "$tmp/body.json"
    printf 'created comment %s (%s)\n' "$(jq -r '.id // "?"' "$tmp/response" 2>/dev/null || echo '?')" "$f"
  fi
done

# Parts left over from an earlier, longer comment.
while read -r id; do
  [ -n "$id" ] || continue
  api DELETE "/issues/comments/$id"
  printf 'deleted comment %s (left over from an earlier run)\n' "$id"
done <"$tmp/ours"
