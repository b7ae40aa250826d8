#!/usr/bin/env bash
# The scripted tour of the local environment. Each step says what it tries and what it expects, runs it, and
# reports what happened; the tour exits non-zero if any expectation fails.
set -uo pipefail
: "${KUBECONFIG:?source .twofold/dev/env.sh first (./twofold dev demo does)}"
KUBECTL=${TWOFOLD_KUBECTL:-kubectl}

failures=0
bold() { printf '\033[1m%s\033[0m\n' "$*"; }
step() { printf '\n'; bold "== $1"; printf '   expect: %s\n' "$2"; }
pass() { printf '   \033[32mok\033[0m: %s\n' "$*"; }
fail() { printf '   \033[31mFAILED\033[0m: %s\n' "$*"; failures=$((failures + 1)); }

# Runs kubectl as a user: standard output in $out, standard error in $err, exit code in $rc.
as() {
  local kubeconfig=$1 errfile; shift
  errfile=$(mktemp)
  printf '   $ kubectl %s\n' "$*"
  out=$("$KUBECTL" --kubeconfig "$kubeconfig" "$@" 2>"$errfile"); rc=$?
  err=$(cat "$errfile"); rm -f "$errfile"
  [[ -n $err ]] && printf '%s\n' "$err" | sed 's/^/     /'
  [[ $* == *"-o json"* ]] || { [[ -n $out ]] && printf '%s\n' "$out" | sed 's/^/     /'; }
  return 0
}

extra_values() { # key, from 'kubectl auth whoami -o json' in $out
  printf '%s' "$out" | python3 -c 'import json,sys; u=json.load(sys.stdin)["status"]["userInfo"]; print(" ".join(u.get("extra",{}).get(sys.argv[1],[])))' "$1"
}
username() { printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["userInfo"]["username"])'; }

bold "Twofold tour — API server $(${KUBECTL} version -o json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])' 2>/dev/null), IdP ${TWOFOLD_ISSUER_URL}"

step "alice logs in with password + TOTP (kubectl runs './twofold dev token alice' as its credential plugin)" \
     "the API server maps her login to oidc:alice with twofold.dev/amr containing otp"
as "$TWOFOLD_KUBECONFIG_ALICE" auth whoami -o json
if (( rc == 0 )) && [[ $(username) == oidc:alice ]] && [[ " $(extra_values twofold.dev/amr) " == *" otp "* ]]; then
  pass "alice is $(username), amr = [$(extra_values twofold.dev/amr)], acr = $(extra_values twofold.dev/acr), auth-time = $(extra_values twofold.dev/auth-time)"
else
  fail "alice's identity or second-factor evidence is not what was expected"
fi

step "bob logs in with a password only" "oidc:bob with twofold.dev/amr = [pwd] and no otp"
as "$TWOFOLD_KUBECONFIG_BOB" auth whoami -o json
if (( rc == 0 )) && [[ $(username) == oidc:bob ]] && [[ $(extra_values twofold.dev/amr) == pwd ]]; then
  pass "bob is $(username), amr = [$(extra_values twofold.dev/amr)]"
else
  fail "bob's identity or evidence is not what was expected"
fi

printf '\n'
if (( failures )); then bold "tour finished: $failures expectation(s) FAILED"; exit 1; fi
bold "tour finished: every expectation held"
