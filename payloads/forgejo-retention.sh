#!/bin/sh
# forgejo-retention.sh - prune old container image versions from one Forgejo owner's package registry.
#
# Forgejo's registry volume has no room to grow, so this job is what keeps it usable. For every container
# package of FORGEJO_OWNER it keeps
#   - the KEEP_LAST_N newest ordinary versions (by created_at),
#   - the version "latest",
#   - every version whose name contains "cache" in any letter case (buildkit --cache-from/--cache-to refs),
#   - every digest-named version (sha256:/sha384:/sha512:). Those are untagged manifests, typically the
#     per-platform children of a multi-arch or attestation index; a kept tag may point at them, so they are
#     left to Forgejo's own dangling-manifest cleanup and never count towards KEEP_LAST_N,
#   - any version whose created_at cannot be read (never delete what cannot be dated),
# and deletes everything else through the package API.
#
# Environment
#   FORGEJO_HOST   base URL, e.g. http://forgejo.forgejo.svc.cluster.local (http:// or https://)
#   FORGEJO_TOKEN  personal access token with write:package scope - see the owner rule below
#   FORGEJO_OWNER  user or organisation that owns the packages (Forgejo user-name rules)
#   KEEP_LAST_N    how many ordinary versions to keep per package; integer >= 1 (default 10)
#   DRY_RUN        true | false (default true). Run with true first and read the would-be DELETE list.
#   MAX_PAGES      listing pages of 50 read at most before refusing to act; 1..1000 (default 100)
#
# The owner rule: Forgejo scopes container packages to their owner. A token of any other user can LIST the
# packages (so a dry run looks perfect) but every DELETE is answered 403. The token must belong to
# FORGEJO_OWNER itself, or to an owner of that organisation. The script warns when the token's user differs
# from FORGEJO_OWNER, and a refused DELETE always fails the run.
#
# Exit codes
#   0  listing complete, every planned DELETE succeeded (or dry run)
#   1  at least one DELETE was refused or failed; all other deletes were still attempted
#   2  invalid environment, or curl/jq missing and not installable; nothing was requested
#   3  the listing failed or did not end within MAX_PAGES pages; nothing was deleted
#
# Needs only busybox sh plus curl and jq. On alpine, missing curl/jq are installed with apk.

set -u

PROG=forgejo-retention
MAX_PAGES=${MAX_PAGES:-100}
PAGE_SIZE=50

config_error() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 2
}

# ---- environment -------------------------------------------------------------------------------------
host=${FORGEJO_HOST:-}
token=${FORGEJO_TOKEN:-}
owner=${FORGEJO_OWNER:-}
keep=${KEEP_LAST_N:-10}
dry_run=${DRY_RUN:-true}

[ -n "$host" ] || config_error "FORGEJO_HOST is not set (e.g. http://forgejo.forgejo.svc.cluster.local)"
case $host in
  http://?* | https://?*) ;;
  *) config_error "FORGEJO_HOST must start with http:// or https:// (got '$host')" ;;
esac
case $host in
  *[[:space:]]*) config_error "FORGEJO_HOST must not contain whitespace" ;;
esac
# The authority must be a host[:port]: 'http:///' (or a URL with userinfo) would curl something else.
authority=${host#*://}
authority=${authority%%/*}
case $authority in
  '' | *[!A-Za-z0-9.:-]* | :* | .*) config_error "FORGEJO_HOST needs a host after the scheme, without credentials (got '$host')" ;;
esac
while :; do
  case $host in
    */) host=${host%/} ;;
    *) break ;;
  esac
done

[ -n "$token" ] || config_error "FORGEJO_TOKEN is not set (a write:package token of the package owner)"
case $token in
  *[[:space:]]* | *[[:cntrl:]]*) config_error "FORGEJO_TOKEN must not contain whitespace or control characters" ;;
esac

[ -n "$owner" ] || config_error "FORGEJO_OWNER is not set"
owner_ok=yes
case $owner in
  *[!A-Za-z0-9._-]* | [._-]* | *[._-] | *[._-][._-]*) owner_ok=no ;;
esac
[ "${#owner}" -le 40 ] || owner_ok=no
[ "$owner_ok" = yes ] || config_error "FORGEJO_OWNER '$owner' is not a valid Forgejo user name (letters, digits, '-', '_', '.'; no punctuation at either end or twice in a row; at most 40 characters)"

case $keep in
  '' | *[!0-9]* | 0*) config_error "KEEP_LAST_N must be an integer >= 1 (got '$keep')" ;;
esac
[ "${#keep}" -le 6 ] || config_error "KEEP_LAST_N is implausibly large (got '$keep')"
case $MAX_PAGES in
  '' | *[!0-9]* | 0*) config_error "MAX_PAGES must be an integer from 1 to 1000 (got '$MAX_PAGES')" ;;
esac
[ "${#MAX_PAGES}" -le 4 ] && [ "$MAX_PAGES" -le 1000 ] ||
  config_error "MAX_PAGES must be an integer from 1 to 1000 (got '$MAX_PAGES')"

case $dry_run in
  true | false) ;;
  *) config_error "DRY_RUN must be 'true' or 'false' (got '$dry_run')" ;;
esac

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

# ---- scratch space; the token goes into a header file, never onto a command line ----------------------
umask 077
tmp=$(mktemp -d) || {
  printf '%s: cannot create a temporary directory\n' "$PROG" >&2
  exit 2
}
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
printf 'Authorization: token %s\n' "$token" >"$tmp/auth"

api="$host/api/v1"
tab=$(printf '\t')

# http METHOD URL BODYFILE -> prints the HTTP status ("000" when no answer), curl's error in $tmp/curl.err
http() {
  curl -sS -X "$1" -H @"$tmp/auth" -H 'Accept: application/json' \
    --connect-timeout 10 --max-time 120 -o "$3" -w '%{http_code}' "$2" 2>"$tmp/curl.err" </dev/null || true
}

snippet() {
  head -c 200 "$1" 2>/dev/null | tr '\r\n' '  '
}

listing_failed() {
  printf '%s: listing failed: %s\n' "$PROG" "$*" >&2
  printf '%s: nothing was deleted\n' "$PROG" >&2
  exit 3
}

printf '%s: owner=%s keep_last=%s dry_run=%s api=%s\n' "$PROG" "$owner" "$keep" "$dry_run" "$api"

# ---- who does the token belong to? (warning only; needs read:user, which a package token may lack) ----
code=$(http GET "$api/user" "$tmp/user.json")
case $code in
  2??)
    login=$(jq -r '.login // empty' "$tmp/user.json" 2>/dev/null || true)
    lower_login=$(printf '%s' "$login" | tr 'A-Z' 'a-z')
    lower_owner=$(printf '%s' "$owner" | tr 'A-Z' 'a-z')
    if [ -n "$login" ] && [ "$lower_login" != "$lower_owner" ]; then
      printf 'WARNING: the token belongs to %s, not to the package owner %s. Unless %s owns the organisation %s, every DELETE will be refused with 403.\n' \
        "$login" "$owner" "$login" "$owner" >&2
    fi
    ;;
  *)
    printf 'note: could not check which user the token belongs to (GET /user answered HTTP %s); it must belong to %s\n' \
      "$code" "$owner" >&2
    ;;
esac

# ---- list every container package version, page by page ---------------------------------------------
: >"$tmp/pages"
page=1
complete=no
while [ "$page" -le "$MAX_PAGES" ]; do
  url="$api/packages/$owner?type=container&limit=$PAGE_SIZE&page=$page"
  code=$(http GET "$url" "$tmp/page.json")
  case $code in
    2??) ;;
    000) listing_failed "page $page: no answer from $url: $(cat "$tmp/curl.err")" ;;
    401 | 403) listing_failed "page $page: HTTP $code from $url - the token is missing, wrong or lacks read access to $owner's packages: $(snippet "$tmp/page.json")" ;;
    *) listing_failed "page $page: HTTP $code from $url: $(snippet "$tmp/page.json")" ;;
  esac
  # A cheap shape check per page (jq runs once, over all pages, below): "[]" ends the listing.
  compact=$(tr -d ' \t\r\n' <"$tmp/page.json")
  case $compact in
    '[]')
      complete=yes
      break
      ;;
    '['*']') ;;
    *) listing_failed "page $page: the answer is not a JSON array: $(snippet "$tmp/page.json")" ;;
  esac
  cat "$tmp/page.json" >>"$tmp/pages"
  printf '\n' >>"$tmp/pages"
  page=$((page + 1))
done
[ "$complete" = yes ] ||
  listing_failed "still not at the end after $MAX_PAGES pages of $PAGE_SIZE; refusing to act on a partial listing"

# ---- plan: one TSV line per version, grouped by package -----------------------------------------------
# P <name> <count> | K <name:version> <reason> | D <enc name> <enc version> <name:version> | E | W <message>
jq -r -s --argjson keep "$keep" '
  def seconds:
    if type != "string" then null
    else
      (capture("^(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ](?<t>[0-9]{2}:[0-9]{2}:[0-9]{2})(?<f>[.][0-9]+)?(?<z>[Zz]|[+-][0-9]{2}:?[0-9]{2})$") // null) as $m
      | if $m == null then null
        else
          (try (($m.d + "T" + $m.t + "Z") | fromdateiso8601) catch null) as $base
          | if $base == null then null
            else
              (if ($m.z | ascii_downcase) == "z" then 0
               else ($m.z | sub(":"; "")) as $o
                 | (($o[1:3] | tonumber) * 3600 + ($o[3:5] | tonumber) * 60)
                 | if $o[0:1] == "-" then -. else . end
               end) as $offset
              | $base - $offset + (if $m.f == null then 0 else ("0" + $m.f | tonumber) end)
            end
        end
    end;
  def shown: gsub("[[:cntrl:]]"; "?");
  def is_digest: test("^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$");
  def usable: (.name | type) == "string" and .name != "" and (.version | type) == "string" and .version != "";

  (if all(.[]; type == "array") then add // [] else error("a page is not a JSON array") end) as $all
  | [$all[] | select(type == "object" and .type == "container")] as $items
  | (($all | length) - ($items | length)) as $other
  | ([$items[] | select(usable | not)] | length) as $bad
  | (if $other > 0 then "W\t\($other) listed item(s) are not container packages and were ignored" else empty end),
    (if $bad > 0 then "W\t\($bad) listed item(s) without a usable name or version were ignored" else empty end),
    ( [$items[] | select(usable)]
      | unique_by([.name, .version])
      | group_by(.name)[]
      | .[0].name as $name
      | map(. + {
          label: ((.name + ":" + .version) | shown),
          reason: (if .version == "latest" then "latest"
                   elif (.version | ascii_downcase | contains("cache")) then "cache"
                   elif (.version | is_digest) then "digest"
                   elif (.created_at | seconds) == null then "undated"
                   else null end),
          at: (.created_at | seconds)
        }) as $versions
      | ([$versions[] | select(.reason == null)] | sort_by(.at, .version) | reverse) as $ordinary
      | "P\t\($name | shown)\t\($versions | length)",
        ($versions[] | select(.reason != null) | "K\t\(.label)\t\(.reason)"),
        ($ordinary[0:$keep][] | "K\t\(.label)\tnewest"),
        ($ordinary[$keep:][] | "D\t\(.name | @uri)\t\(.version | @uri)\t\(.label)"),
        "E"
    )
' "$tmp/pages" >"$tmp/plan" 2>"$tmp/jq.err" ||
  listing_failed "the listing is not valid JSON: $(head -c 300 "$tmp/jq.err" | tr '\n' ' ')"

# ---- act ----------------------------------------------------------------------------------------------
packages=0
t_versions=0
t_kept=0
t_planned=0
t_deleted=0
t_failed=0
denied=0
server_errors=0
pkg=''
p_versions=0
p_kept=0
p_planned=0
p_deleted=0
p_failed=0

while IFS=$tab read -r kind f1 f2 f3; do
  case $kind in
    W) printf 'WARNING: %s\n' "$f1" >&2 ;;
    P)
      pkg=$f1
      p_versions=$f2
      p_kept=0
      p_planned=0
      p_deleted=0
      p_failed=0
      ;;
    K)
      p_kept=$((p_kept + 1))
      printf '  keep %s (%s)\n' "$f1" "$f2"
      ;;
    D)
      p_planned=$((p_planned + 1))
      url="$api/packages/$owner/container/$f1/$f2"
      if [ "$dry_run" = true ]; then
        printf '  DRY-RUN would DELETE %s\n' "$url"
        continue
      fi
      code=$(http DELETE "$url" "$tmp/delete.out")
      case $code in
        200 | 204)
          p_deleted=$((p_deleted + 1))
          printf '  deleted %s\n' "$f3"
          ;;
        *)
          p_failed=$((p_failed + 1))
          case $code in
            401 | 403) denied=$((denied + 1)) ;;
            5??) server_errors=$((server_errors + 1)) ;;
          esac
          if [ "$code" = 000 ]; then
            printf '  FAILED DELETE %s: no answer: %s\n' "$url" "$(cat "$tmp/curl.err")" >&2
          else
            printf '  FAILED DELETE %s: HTTP %s %s\n' "$url" "$code" "$(snippet "$tmp/delete.out")" >&2
          fi
          ;;
      esac
      ;;
    E)
      packages=$((packages + 1))
      t_versions=$((t_versions + p_versions))
      t_kept=$((t_kept + p_kept))
      t_planned=$((t_planned + p_planned))
      t_deleted=$((t_deleted + p_deleted))
      t_failed=$((t_failed + p_failed))
      printf 'package %s: versions=%s kept=%s to_delete=%s deleted=%s failed=%s\n' \
        "$pkg" "$p_versions" "$p_kept" "$p_planned" "$p_deleted" "$p_failed"
      ;;
  esac
done <"$tmp/plan"

printf 'total: packages=%s versions=%s kept=%s to_delete=%s deleted=%s failed=%s dry_run=%s\n' \
  "$packages" "$t_versions" "$t_kept" "$t_planned" "$t_deleted" "$t_failed" "$dry_run"

if [ "$t_failed" -gt 0 ]; then
  if [ "$denied" -gt 0 ]; then
    printf '%s: %s DELETE(s) were refused with 401/403. The token must belong to the package owner %s (or to an owner of the organisation %s) and have write:package scope; a token of any other user can list packages but cannot delete them.\n' \
      "$PROG" "$denied" "$owner" "$owner" >&2
  fi
  if [ "$server_errors" -gt 0 ]; then
    printf '%s: %s DELETE(s) failed with a server error (5xx); check the Forgejo logs and the registry volume.\n' \
      "$PROG" "$server_errors" >&2
  fi
  printf '%s: %s of %s DELETE(s) failed\n' "$PROG" "$t_failed" "$t_planned" >&2
  exit 1
fi
if [ "$dry_run" = true ] && [ "$t_planned" -gt 0 ]; then
  printf '%s: dry run - nothing was deleted; set DRY_RUN=false to delete the %s version(s) above\n' "$PROG" "$t_planned"
fi
exit 0
