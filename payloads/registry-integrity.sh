#!/bin/sh
# registry-integrity.sh - check that every image the registry advertises can actually be pulled.
#
# Walks the OCI distribution API of the registry (Forgejo's, or any other): the catalog, each repository's
# tag list, each tag's manifest, the child manifests of an index / manifest list (fetched by digest, and
# their content checked against that digest), and a HEAD request for the config blob and every layer
# blob of each image manifest. Blobs shared between tags of a repository are checked once.
#
# Environment
#   REGISTRY_URL     base URL, e.g. https://forgejo.viktorbarzin.me (http:// or https://)
#   REGISTRY_USER    optional; with REGISTRY_TOKEN sends HTTP basic auth (set both or neither).
#   REGISTRY_TOKEN   optional; a read:package token of REGISTRY_USER. Only reads are ever sent.
#   REPOSITORIES     optional space-separated repositories (e.g. "viktor/app viktor/infra/ci") to check
#                    instead of walking the catalog.
#   MAX_TAGS         tags checked per repository, integer >= 1 (default 20). "latest" is always checked
#                    first, then tags in the order the registry lists them; the rest are counted as skipped.
#
# The catalog is requested with ?n=1000 and the Link: <...>; rel="next" header is followed (at most 1000
# pages); tag lists follow Link the same way. A page without a Link header is the last one.
#
# Exit codes
#   0  everything checked is present
#   1  something is missing or broken: a manifest, a blob or a tag list answered non-2xx, or a manifest is
#      unreadable / does not match its digest. Every problem is printed (MISSING ... / BROKEN ...) after
#      checking everything else.
#   2  invalid environment, curl/jq missing and not installable, or the catalog could not be read
#
# Needs only busybox sh plus curl and jq. On alpine, missing curl/jq are installed with apk.

set -u

PROG=registry-integrity
MAX_LIST_PAGES=1000

config_error() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 2
}

# ---- environment -------------------------------------------------------------------------------------
reg=${REGISTRY_URL:-}
user=${REGISTRY_USER:-}
secret=${REGISTRY_TOKEN:-}
repositories=${REPOSITORIES:-}
max_tags=${MAX_TAGS:-20}

[ -n "$reg" ] || config_error "REGISTRY_URL is not set (e.g. https://forgejo.viktorbarzin.me)"
case $reg in
  http://?* | https://?*) ;;
  *) config_error "REGISTRY_URL must start with http:// or https:// (got '$reg')" ;;
esac
case $reg in
  *[[:space:]]*) config_error "REGISTRY_URL must not contain whitespace" ;;
esac
# The authority must be a host[:port]: 'http:///' (or a URL with userinfo) would curl something else.
authority=${reg#*://}
authority=${authority%%/*}
case $authority in
  '' | *[!A-Za-z0-9.:-]* | :* | .*) config_error "REGISTRY_URL needs a host after the scheme, without credentials (got '$reg')" ;;
esac
while :; do
  case $reg in
    */) reg=${reg%/} ;;
    *) break ;;
  esac
done

if [ -n "$user" ] && [ -z "$secret" ]; then config_error "REGISTRY_USER is set but REGISTRY_TOKEN is not"; fi
if [ -z "$user" ] && [ -n "$secret" ]; then config_error "REGISTRY_TOKEN is set but REGISTRY_USER is not"; fi
case $user$secret in
  *[[:space:]]* | *[[:cntrl:]]*) config_error "REGISTRY_USER/REGISTRY_TOKEN must not contain whitespace or control characters" ;;
esac
case $user in
  *:*) config_error "REGISTRY_USER must not contain ':'" ;;
esac

case $max_tags in
  '' | *[!0-9]* | 0*) config_error "MAX_TAGS must be an integer >= 1 (got '$max_tags')" ;;
esac
[ "${#max_tags}" -le 6 ] || config_error "MAX_TAGS is implausibly large (got '$max_tags')"

# A repository name as the distribution spec allows it: lower-case path components joined by '/'.
valid_repo() {
  case $1 in
    '' | *[!a-z0-9._/-]* | [._/-]* | *[._/-] | *//*) return 1 ;;
  esac
  return 0
}
for r in $repositories; do
  valid_repo "$r" || config_error "REPOSITORIES: '$r' is not a valid repository name"
done

# ---- tools -------------------------------------------------------------------------------------------
have_tools() {
  command -v curl >/dev/null 2>&1 && command -v jq >/dev/null 2>&1
}
if ! have_tools && command -v apk >/dev/null 2>&1; then
  printf '%s: installing curl and jq with apk\n' "$PROG" >&2
  apk add --no-cache curl jq >&2 || true
fi
for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || config_error "required tool '$tool' is not installed and could not be installed with apk"
done

# ---- scratch space; credentials go into a header file, never onto a command line ----------------------
umask 077
tmp=$(mktemp -d) || {
  printf '%s: cannot create a temporary directory\n' "$PROG" >&2
  exit 2
}
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
: >"$tmp/auth"
if [ -n "$user" ]; then
  printf 'Authorization: Basic %s\n' "$(printf '%s:%s' "$user" "$secret" | base64 | tr -d '\n')" >"$tmp/auth"
fi

cr=$(printf '\r')
MANIFEST_TYPES='application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json'

# fetch METHOD URL BODYFILE [ACCEPT] -> prints the HTTP status ("000" when no answer); response headers
# land in $tmp/headers, curl's error in $tmp/curl.err
fetch() {
  if [ "$1" = HEAD ]; then
    set -- "$2" "$3" --head
  else
    set -- "$2" "$3" -H "Accept: ${4:-application/json}"
  fi
  url=$1
  out=$2
  shift 2
  curl -sS "$@" -H @"$tmp/auth" --connect-timeout 10 --max-time 60 \
    -D "$tmp/headers" -o "$out" -w '%{http_code}' "$url" 2>"$tmp/curl.err" </dev/null || true
}

# The target of a Link: <...>; rel="next" response header, made absolute; empty when there is none.
# (Shell builtins only: this runs once per list page.)
next_link() {
  link=''
  while IFS= read -r h; do
    h=${h%"$cr"}
    case $h in
      [Ll][Ii][Nn][Kk]:*'rel="next"'* | [Ll][Ii][Nn][Kk]:*'rel=next'*)
        link=${h#*<}
        link=${link%%>*}
        ;;
    esac
  done <"$tmp/headers"
  case $link in
    '') ;;
    http://* | https://*) printf '%s' "$link" ;;
    /*) printf '%s%s' "$reg" "$link" ;;
    *) printf '%s/v2/%s' "$reg" "$link" ;;
  esac
}

# list_all URL KEY OUT: follows Link pagination, appending the strings of .KEY to OUT, one a line.
# Returns 1 with a reason in $list_error when a page fails.
list_all() {
  l_url=$1
  l_pages=0
  : >"$3"
  while [ -n "$l_url" ]; do
    l_pages=$((l_pages + 1))
    if [ "$l_pages" -gt "$MAX_LIST_PAGES" ]; then
      list_error="more than $MAX_LIST_PAGES pages (Link keeps pointing on)"
      return 1
    fi
    l_code=$(fetch GET "$l_url" "$tmp/list.json")
    case $l_code in
      2??) ;;
      000)
        list_error="no answer from $l_url: $(cat "$tmp/curl.err")"
        return 1
        ;;
      *)
        list_error="HTTP $l_code from $l_url"
        return 1
        ;;
    esac
    jq -r --arg k "$2" '.[$k] // [] | if type == "array" then .[] | strings else error("not a list") end' \
      "$tmp/list.json" >>"$3" 2>/dev/null || {
      list_error="unreadable answer from $l_url"
      return 1
    }
    l_url=$(next_link)
  done
  return 0
}

repos=0
tags=0
tags_skipped=0
manifests=0
blobs=0
missing=0

problem() {
  missing=$((missing + 1))
  printf '%s\n' "$*"
}

# ---- which repositories -------------------------------------------------------------------------------
if [ -n "$repositories" ]; then
  for r in $repositories; do printf '%s\n' "$r"; done >"$tmp/repos"
else
  list_all "$reg/v2/_catalog?n=1000" repositories "$tmp/repos" || {
    printf '%s: cannot read the catalog: %s\n' "$PROG" "$list_error" >&2
    exit 2
  }
fi
sort -u "$tmp/repos" >"$tmp/repos.sorted"
[ -s "$tmp/repos.sorted" ] ||
  printf '%s: note: no repositories to check (an empty catalog can also mean the credentials see nothing)\n' "$PROG" >&2

# ---- one repository -----------------------------------------------------------------------------------
# Digests already checked in the current repository, as " d1 d2 ... " (shell builtins only, no grep).
seen_manifests=' '
seen_blobs=' '

# check_tag REPO TAG: the tag's manifest, the children of an index (queued by digest), and the blobs of
# every image manifest.
check_tag() {
  c_repo=$1
  c_tag=$2
  queue=$c_tag
  while [ -n "$queue" ]; do
    ref=${queue%% *}
    case $queue in
      *' '*) queue=${queue#* } ;;
      *) queue='' ;;
    esac
    if [ "$ref" = "$c_tag" ]; then
      where="$c_repo:$c_tag"
    else
      case $seen_manifests in *" $ref "*) continue ;; esac
      seen_manifests="$seen_manifests$ref "
      where="$c_repo@$ref (manifest $c_tag)"
    fi
    manifests=$((manifests + 1))
    code=$(fetch GET "$reg/v2/$c_repo/manifests/$ref" "$tmp/manifest.json" "$MANIFEST_TYPES")
    case $code in
      2??) ;;
      000)
        problem "MISSING manifest $where: no answer: $(cat "$tmp/curl.err")"
        continue
        ;;
      *)
        problem "MISSING manifest $where: HTTP $code"
        continue
        ;;
    esac
    case $ref in
      sha256:*)
        actual=$(sha256sum "$tmp/manifest.json")
        actual="sha256:${actual%% *}"
        if [ "$actual" != "$ref" ]; then
          problem "BROKEN manifest $where: content has digest $actual"
          continue
        fi
        ;;
    esac
    # First line: index | image | unknown; then one referenced digest a line ("invalid" if malformed).
    jq -r '
      def checked: if type == "string" and test("^[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$") then . else "invalid" end;
      if (.manifests | type) == "array" then "index", (.manifests[] | .digest | checked)
      elif (.config | type) == "object" then "image", (.config.digest | checked), ((.layers // [])[] | .digest | checked)
      else "unknown" end
    ' "$tmp/manifest.json" >"$tmp/refs" 2>/dev/null || {
      problem "BROKEN manifest $where: not valid JSON"
      continue
    }
    kind=''
    malformed=no
    while IFS= read -r d; do
      if [ -z "$kind" ]; then
        kind=$d
        case $kind in
          index | image) continue ;;
          *) break ;;
        esac
      fi
      if [ "$d" = invalid ]; then
        malformed=yes
      elif [ "$kind" = index ]; then
        queue="${queue:+$queue }$d"
      else
        case $seen_blobs in *" $d "*) continue ;; esac
        seen_blobs="$seen_blobs$d "
        blobs=$((blobs + 1))
        code=$(fetch HEAD "$reg/v2/$c_repo/blobs/$d" "$tmp/blob.out")
        case $code in
          2??) ;;
          000) problem "MISSING blob $c_repo@$d (manifest $c_tag): no answer: $(cat "$tmp/curl.err")" ;;
          *) problem "MISSING blob $c_repo@$d (manifest $c_tag): HTTP $code" ;;
        esac
      fi
    done <"$tmp/refs"
    case $kind in
      index | image) ;;
      *) problem "BROKEN manifest $where: neither an image manifest nor an index" ;;
    esac
    [ "$malformed" = no ] || problem "BROKEN manifest $where: lists a malformed digest"
  done
}

while IFS= read -r repo; do
  [ -n "$repo" ] || continue
  repos=$((repos + 1))
  if ! valid_repo "$repo"; then
    problem "BROKEN repository name in the catalog: $(printf '%s' "$repo" | tr -c 'a-zA-Z0-9._/:-' '?')"
    continue
  fi
  seen_manifests=' '
  seen_blobs=' '
  if ! list_all "$reg/v2/$repo/tags/list" tags "$tmp/tags"; then
    problem "MISSING tag list $repo: $list_error"
    continue
  fi
  # "latest" first, then the listed order; at most MAX_TAGS, the rest counted as skipped.
  selected=''
  count=0
  while IFS= read -r tag; do
    [ "$tag" = latest ] && selected=latest && count=1 && break
  done <"$tmp/tags"
  while IFS= read -r tag; do
    [ "$tag" != latest ] || continue
    if [ "$count" -ge "$max_tags" ]; then
      tags_skipped=$((tags_skipped + 1))
      continue
    fi
    case $tag in
      '' | *[!A-Za-z0-9_.-]* | [.-]*)
        problem "BROKEN tag name in $repo: $(printf '%s' "$tag" | tr -c 'a-zA-Z0-9._-' '?')"
        continue
        ;;
    esac
    selected="${selected:+$selected }$tag"
    count=$((count + 1))
  done <"$tmp/tags"
  for tag in $selected; do
    tags=$((tags + 1))
    check_tag "$repo" "$tag"
  done
done <"$tmp/repos.sorted"

printf 'summary: repos=%s tags=%s tags_skipped=%s manifests=%s blobs=%s missing=%s\n' \
  "$repos" "$tags" "$tags_skipped" "$manifests" "$blobs" "$missing"
[ "$missing" -eq 0 ] || exit 1
exit 0
