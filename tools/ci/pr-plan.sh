#!/usr/bin/env bash
# pr-plan.sh — the pull-request plan (.woodpecker/pr-plan.yml; docs/pr-plans.md). Run from the repository
# root after `npm ci`:
#
#   1. synthesize the app (npm run synth -> cdktf.out) and diff it against the base (npm run diff: the
#      merge base with the target branch, synthesized by its own code in a temporary worktree);
#   2. with cluster credentials (PG_CONN_STR, VAULT_TOKEN and a kubeconfig): terraform init + plan + show
#      -json for each changed stack, rendered by npm run plan-comment; stacks with local (tier-0) state are
#      not planned here. Without credentials: the synth diff is the comment;
#   3. post or update the pull request's comment(s) (tools/ci/forgejo-pr-comment.sh), or print them when
#      FORGEJO_TOKEN is not set.
#
# Environment (Woodpecker sets the CI_* ones):
#   BASE_REF                 git ref to diff against; default: merge base of HEAD and origin/<target>
#   CI_COMMIT_TARGET_BRANCH  target branch (fetched from origin when BASE_REF is not set)
#   FORGEJO_TOKEN            posts the comment; FORGEJO_URL (default CI_FORGE_URL), REPO (default CI_REPO),
#                            PR_NUMBER (default CI_COMMIT_PULL_REQUEST)
#   PG_CONN_STR, VAULT_TOKEN credentials for the pg backend and the vault provider
#   KUBECONFIG_DATA          kubeconfig file content (or KUBECONFIG: a kubeconfig path)
#   TLS_FULLCHAIN, TLS_PRIVKEY  written to secrets/ for stacks that read the TLS pair with file() (optional)
#   GIT_CRYPT_KEY_B64        the infra repo's git-crypt key, base64; decoded to secrets/git-crypt-key for the
#                            stacks that read it at plan time (hermes-agent, claude-agent-service; optional)
#   CI_COMMIT_PULL_REQUEST_LABELS  a label `allow-destroy` passes --allow-destroy to the synth diff
#   TERRAFORM                terraform binary (default terraform)
#
# Exit: 2 when the synth diff finds a stateful resource destroyed without a moved block (and it is not
# allowed); else 1 when a plan or anything else failed; else 0. The comment is posted in every case it can be.
set -euo pipefail

me=pr-plan
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf '%s: %s\n' "$me" "$*" >&2; }
die() {
  log "$*"
  exit 1
}

PLAN_MARKER='<!-- infra-cdktf:plan-comment -->'
TERRAFORM=${TERRAFORM:-terraform}
for tool in npm jq git; do command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"; done

work=$(mktemp -d)
chmod 700 "$work"
wrote_secrets=()
cleanup() {
  # Plans and their JSON hold secret values in clear: nothing of the work directory survives.
  rm -rf "$work"
  local i f
  for ((i = ${#wrote_secrets[@]} - 1; i >= 0; i--)); do # files first, then the directory we made
    f=${wrote_secrets[i]}
    if [ -d "$f" ]; then rmdir "$f" 2>/dev/null || true; else rm -f "$f"; fi
  done
}
trap cleanup EXIT
mkdir -p "$work/plans" "$work/logs"

# ---- base -------------------------------------------------------------------------------------------
base=${BASE_REF:-}
if [ -z "$base" ]; then
  target=${CI_COMMIT_TARGET_BRANCH:-}
  [ -n "$target" ] || die 'no base: set BASE_REF, or CI_COMMIT_TARGET_BRANCH (the pull request target branch)'
  git fetch --no-tags --quiet origin "+refs/heads/$target:refs/remotes/origin/$target" ||
    die "cannot fetch the target branch $target from origin"
  base=$(git merge-base HEAD "origin/$target") ||
    die "no merge base of HEAD and origin/$target (a shallow clone? clone with depth 0)"
  log "base: merge base of HEAD and origin/$target ($base)"
fi

# ---- synth + synth diff -------------------------------------------------------------------------------
npm run --silent synth -- --outdir cdktf.out >&2 || die 'npm run synth failed'

diff_args=(--base "$base" --head-dir cdktf.out --format json --out "$work/synth-diff.json"
  --comment-dir "$work/synth-diff")
case ",${CI_COMMIT_PULL_REQUEST_LABELS:-}," in
  *,allow-destroy,*)
    log 'label allow-destroy: stateful destroys are allowed'
    diff_args+=(--allow-destroy)
    ;;
esac
diff_rc=0
npm run --silent diff -- "${diff_args[@]}" || diff_rc=$?
case $diff_rc in
  0 | 2) ;;
  *) die "npm run diff failed (exit $diff_rc)" ;;
esac
jq -e '(.changedStacks | type) == "array" and (.stacksRemoved | type) == "array"' "$work/synth-diff.json" >/dev/null 2>&1 ||
  die "npm run diff wrote no usable JSON ($work/synth-diff.json)"
mapfile -t changed < <(jq -r '.changedStacks[]' "$work/synth-diff.json")
removed=$(jq -r '.stacksRemoved | length' "$work/synth-diff.json")
log "changed stacks: ${changed[*]:-none}"

# ---- credentials ----------------------------------------------------------------------------------------
missing=()
[ -n "${PG_CONN_STR:-}" ] || missing+=(PG_CONN_STR)
[ -n "${VAULT_TOKEN:-}" ] || missing+=(VAULT_TOKEN)
if [ -n "${KUBECONFIG_DATA:-}" ]; then
  (umask 077 && printf '%s\n' "$KUBECONFIG_DATA" >"$work/kubeconfig")
  export TF_VAR_kube_config_path="$work/kubeconfig"
elif [ -n "${KUBECONFIG:-}" ] && [ -f "${KUBECONFIG}" ]; then
  export TF_VAR_kube_config_path="$KUBECONFIG"
else
  missing+=('KUBECONFIG_DATA or KUBECONFIG')
fi
credentials=yes
if [ "${#missing[@]}" -gt 0 ]; then
  credentials=no
  if [ -n "${PG_CONN_STR:-}${VAULT_TOKEN:-}${KUBECONFIG_DATA:-}${KUBECONFIG:-}" ]; then
    log "credentials incomplete (missing: ${missing[*]}): no terraform plan, posting the synth diff"
  else
    log 'no cluster credentials: no terraform plan, posting the synth diff'
  fi
fi

# ---- terraform plan per changed stack ----------------------------------------------------------------------
planned=()
skipped=()
failed=()
if [ "$credentials" = yes ] && [ "${#changed[@]}" -gt 0 ]; then
  command -v "$TERRAFORM" >/dev/null 2>&1 || die "$TERRAFORM is not installed"
  if [ -n "${TLS_FULLCHAIN:-}" ] && [ -n "${TLS_PRIVKEY:-}" ]; then
    if [ ! -d secrets ]; then
      mkdir secrets
      wrote_secrets+=(secrets)
    fi
    for pair in fullchain.pem:TLS_FULLCHAIN privkey.pem:TLS_PRIVKEY; do
      file="secrets/${pair%%:*}"
      var=${pair#*:}
      if [ ! -e "$file" ]; then
        (umask 077 && printf '%s\n' "${!var}" >"$file")
        wrote_secrets+=("$file")
      fi
    done
  fi
  if [ -n "${GIT_CRYPT_KEY_B64:-}" ] && [ ! -e secrets/git-crypt-key ]; then
    if [ ! -d secrets ]; then
      mkdir secrets
      wrote_secrets+=(secrets)
    fi
    wrote_secrets+=(secrets/git-crypt-key)
    (umask 077 && printf '%s' "$GIT_CRYPT_KEY_B64" | base64 -d >secrets/git-crypt-key) ||
      die "GIT_CRYPT_KEY_B64 is not valid base64"
  fi
  export TF_IN_AUTOMATION=1 TF_INPUT=0
  for stack in "${changed[@]}"; do
    dir="cdktf.out/stacks/$stack"
    if jq -e '.terraform.backend.local' "$dir/cdk.tf.json" >/dev/null 2>&1; then
      log "$stack: local (tier-0) state, not planned in CI"
      skipped+=("$stack")
      continue
    fi
    log "$stack: terraform plan"
    out="$work/logs/$stack.log"
    if "$TERRAFORM" -chdir="$dir" init -input=false -no-color >"$out" 2>&1 &&
      "$TERRAFORM" -chdir="$dir" plan -input=false -no-color -lock=false -out="$work/plans/$stack.tfplan" >>"$out" 2>&1 &&
      "$TERRAFORM" -chdir="$dir" show -json "$work/plans/$stack.tfplan" >"$work/plans/$stack.json" 2>>"$out"; then
      planned+=("$stack")
      grep -E '^(Plan:|No changes)' "$out" | sed "s/^/$me: $stack: /" >&2 || true
    else
      failed+=("$stack")
      rm -f "$work/plans/$stack.json"
      log "$stack: terraform failed; last lines:"
      tail -n 30 "$out" | sed "s/^/  /" >&2
    fi
  done
fi

# ---- the comment ------------------------------------------------------------------------------------------
files=()
add_parts() { # add_parts DIR: DIR/comment-1.md, comment-2.md, ... in order
  local i=1
  while [ -f "$1/comment-$i.md" ]; do
    files+=("$1/comment-$i.md")
    i=$((i + 1))
  done
}
if [ "${#planned[@]}" -gt 0 ]; then
  plan_files=()
  for stack in "${planned[@]}"; do plan_files+=("$work/plans/$stack.json"); done
  npm run --silent plan-comment -- --out-dir "$work/plan-comment" "${plan_files[@]}" >/dev/null ||
    die 'npm run plan-comment failed'
  add_parts "$work/plan-comment"
fi
if [ "${#failed[@]}" -gt 0 ]; then
  {
    printf '%s\n### Terraform plan failed\n\n' "$PLAN_MARKER"
    printf 'terraform could not plan: '
    printf '`%s` ' "${failed[@]}"
    printf '\n\nThe error is in the pipeline log%s.\n' "${CI_PIPELINE_URL:+ ($CI_PIPELINE_URL)}"
  } >"$work/plan-errors.md"
  files+=("$work/plan-errors.md")
fi
# The synth diff is the comment without a plan, and joins the plan when the plan does not tell everything:
# stacks not planned here, removed stacks, stateful destroys.
if [ "${#planned[@]}" -eq 0 ] || [ "${#skipped[@]}" -gt 0 ] || [ "${#failed[@]}" -gt 0 ] ||
  [ "$removed" -gt 0 ] || [ "$diff_rc" -eq 2 ]; then
  add_parts "$work/synth-diff"
fi

if [ -n "${FORGEJO_TOKEN:-}" ]; then
  export FORGEJO_URL=${FORGEJO_URL:-${CI_FORGE_URL:-}}
  export REPO=${REPO:-${CI_REPO:-}}
  export PR_NUMBER=${PR_NUMBER:-${CI_COMMIT_PULL_REQUEST:-}}
  "$here/forgejo-pr-comment.sh" "${files[@]}" >&2 || die 'posting the pull request comment failed'
else
  log 'FORGEJO_TOKEN is not set: not posting; the comment follows'
  cat "${files[@]}"
fi

if [ "$diff_rc" -eq 2 ]; then
  log 'stateful resources would be destroyed (see the comment): add moved blocks, or label the pull request allow-destroy'
  exit 2
fi
[ "${#failed[@]}" -eq 0 ] || die "terraform failed for: ${failed[*]}"
exit 0
