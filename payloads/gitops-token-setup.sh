#!/bin/sh
# Runs inside a company VM on every boot (cloud-init per-boot script, written by the CompanyVm
# construct's user-data). Turns the GitOps tokens map /etc/gitops/tokens.json
#   { "github.com": "<token>", "gitlab.com": "PAT:<token>", "git.example.org:3000": "<token>" }
# into the two forms that authenticate `nix` and `git` without prompting:
#   - nix:  access-tokens = github.com=<token> gitlab.com=PAT:<token>   (value verbatim; nix wants the
#           PAT:/OAuth2: prefix for GitLab hosts)
#   - git:  https://oauth2:<token, PAT:/OAuth2: prefix removed, URL-encoded>@<host>  (credential store)
# Both files are written 0600 and replaced atomically; on bad input nothing is replaced and the script
# exits 1 with one message. A missing tokens file is not an error (nothing to set up).
#
# Must stay POSIX sh + awk (NixOS images have neither jq nor python by default), and must not contain
# two consecutive braces: it is embedded in an External Secrets (Go) template.
set -eu
export LC_ALL=C

TOKENS_FILE="${TOKENS_FILE:-/etc/gitops/tokens.json}"
NIX_ACCESS_TOKENS_FILE="${NIX_ACCESS_TOKENS_FILE:-/etc/nix/access-tokens.conf}"
GIT_CREDENTIALS_FILE="${GIT_CREDENTIALS_FILE:-/var/lib/nix-gitops/.git-credentials}"
GITOPS_USER="${GITOPS_USER:-nix-gitops}"

log() { printf 'gitops-token-setup: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

if [ ! -e "$TOKENS_FILE" ]; then
  log "no $TOKENS_FILE; nothing to set up"
  exit 0
fi
[ -r "$TOKENS_FILE" ] || die "cannot read $TOKENS_FILE"

umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/gitops-token-setup.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Parse a flat JSON object of string values into "host<TAB>token" lines, sorted by host. Anything else
# (nested values, numbers, escapes, duplicate hosts, bad host names, blank tokens) is refused.
if ! awk '
  function fail(msg) { print msg > "/dev/stderr"; bad = 1; exit 1 }
  function skipws() { while (pos <= n && substr(s, pos, 1) ~ /[ \t\r\n]/) pos++ }
  function str(   start, c) {
    if (substr(s, pos, 1) != "\"") fail("expected a string at offset " pos)
    pos++; start = pos
    while (pos <= n) {
      c = substr(s, pos, 1)
      if (c == "\\") fail("escape sequences are not supported in tokens.json (offset " pos ")")
      if (c == "\"") { pos++; return substr(s, start, pos - start - 1) }
      pos++
    }
    fail("unterminated string")
  }
  { s = s $0 "\n" }
  END {
    if (bad) exit 1
    n = length(s); pos = 1; count = 0
    skipws()
    if (substr(s, pos, 1) != "{") fail("tokens.json must be a JSON object of \"host\": \"token\"")
    pos++; skipws()
    if (substr(s, pos, 1) == "}") { pos++ } else {
      for (;;) {
        skipws(); host = str(); skipws()
        if (substr(s, pos, 1) != ":") fail("expected : after \"" host "\"")
        pos++; skipws()
        if (substr(s, pos, 1) != "\"") fail("the value of \"" host "\" must be a string token")
        token = str(); skipws()
        if (host !~ /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?$/) fail("invalid host \"" host "\": a host name with an optional :port")
        if (token == "" || token ~ /[^!-~]/) fail("the token of \"" host "\" must be non-empty printable ASCII without spaces")
        if (host in seen) fail("host \"" host "\" appears twice")
        seen[host] = 1
        print host "\t" token
        count++
        c = substr(s, pos, 1); pos++
        if (c == "}") break
        if (c != ",") fail("expected , or } after the value of \"" host "\"")
      }
    }
    skipws()
    if (pos <= n) fail("unexpected content after the JSON object")
  }
' "$TOKENS_FILE" >"$work/pairs.unsorted"; then
  die "invalid $TOKENS_FILE; nothing was changed"
fi
LC_ALL=C sort "$work/pairs.unsorted" >"$work/pairs"

# nix.conf `access-tokens`: one line, space-separated host=token pairs.
awk -F '\t' '
  { line = line (NR > 1 ? " " : "") $1 "=" $2 }
  END { if (NR > 0) print "access-tokens = " line }
' "$work/pairs" >"$work/nix"

# git credential store lines, the token percent-encoded (RFC 3986 unreserved characters kept).
awk -F '\t' '
  BEGIN { for (i = 33; i < 127; i++) ord[sprintf("%c", i)] = i }
  function enc(v,   out, i, c) {
    out = ""
    for (i = 1; i <= length(v); i++) {
      c = substr(v, i, 1)
      out = out (c ~ /[A-Za-z0-9._~-]/ ? c : sprintf("%%%02X", ord[c]))
    }
    return out
  }
  {
    token = $2
    sub(/^(PAT|OAuth2):/, "", token)
    print "https://oauth2:" enc(token) "@" $1
  }
' "$work/pairs" >"$work/git"

install_file() { # <source> <destination>
  mkdir -p "$(dirname "$2")"
  tmp="$2.tmp.$$"
  cp "$1" "$tmp"
  chmod 0600 "$tmp"
  mv -f "$tmp" "$2"
}

install_file "$work/nix" "$NIX_ACCESS_TOKENS_FILE"
install_file "$work/git" "$GIT_CREDENTIALS_FILE"
if id -u "$GITOPS_USER" >/dev/null 2>&1; then
  chown "$GITOPS_USER" "$GIT_CREDENTIALS_FILE"
else
  log "user $GITOPS_USER does not exist; $GIT_CREDENTIALS_FILE stays owned by $(id -un)"
fi
log "wrote $(wc -l <"$work/pairs" | tr -d ' ') token(s) to $NIX_ACCESS_TOKENS_FILE and $GIT_CREDENTIALS_FILE"
