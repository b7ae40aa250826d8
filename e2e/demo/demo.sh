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

expect_denied() { # policy name: the last command must have been refused by Twofold on behalf of that policy
  if (( rc != 0 )) && [[ $err == *"Twofold: MfaPolicy \"$1\" requires a second factor"* && $err == *"Step up:"* ]]; then
    pass "denied by MfaPolicy $1, with what was missing and how to step up"
  else
    fail "expected a denial by MfaPolicy $1 (exit $rc)"
  fi
}

step "setup (as cluster admin): a Node, a Pod scheduled to it, and a Secret in namespace demo" \
     "the sample MfaPolicies (e2e/samples) are Ready"
"$KUBECTL" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Node
metadata:
  name: demo-node
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: demo
---
apiVersion: v1
kind: Secret
metadata:
  name: db-password
  namespace: demo
stringData:
  password: s3cret
YAML
"$KUBECTL" patch node demo-node --subresource=status --type=merge \
  -p '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"demo"}]}}' >/dev/null
if ! "$KUBECTL" get pod -n demo web >/dev/null 2>&1; then
  "$KUBECTL" run web -n demo --image=registry.example/web@sha256:$(printf '0%.0s' {1..64}) --restart=Never \
    --overrides='{"spec":{"nodeName":"demo-node","serviceAccountName":"web"}}' >/dev/null
fi
if "$KUBECTL" wait --for=condition=Ready mfapolicy --all --timeout=30s >/dev/null; then
  pass "$("$KUBECTL" get mfapolicies --no-headers | awk '{print $1}' | paste -sd' ')"
else
  fail "the sample MfaPolicies did not become Ready"; "$KUBECTL" get mfapolicies
fi

step "bob (password only) runs kubectl exec" "denied at admission: exec needs a second factor"
as "$TWOFOLD_KUBECONFIG_BOB" exec -n demo web -- true
expect_denied exec-needs-mfa

step "bob reads a Secret" "denied by the authorization webhook (reads never reach admission)"
as "$TWOFOLD_KUBECONFIG_BOB" get secret -n demo db-password
expect_denied secret-reads-need-mfa

step "bob asks 'kubectl auth can-i get secrets'" "no: the authorization webhook tells the truth"
as "$TWOFOLD_KUBECONFIG_BOB" auth can-i get secrets -n demo
if [[ $out == no* ]]; then pass "can-i says no"; else fail "can-i said: $out"; fi

step "bob grants himself cluster-admin" "denied: RBAC writes need a second factor"
as "$TWOFOLD_KUBECONFIG_BOB" create clusterrolebinding bob-is-admin --clusterrole=cluster-admin --user=oidc:bob
expect_denied rbac-writes-need-mfa

step "alice (password + TOTP) runs kubectl exec" \
     "Twofold lets her through; the API server then fails only because demo-node has no kubelet"
as "$TWOFOLD_KUBECONFIG_ALICE" exec -n demo web -- true
if (( rc != 0 )) && [[ $err != *"denied the request"* && $err != *Twofold* ]]; then
  pass "admission passed; the error is the missing kubelet, not Twofold"
else
  fail "alice's exec was not let through by Twofold"
fi

step "alice reads the Secret and grants a binding (server-side dry run)" "both allowed"
as "$TWOFOLD_KUBECONFIG_ALICE" get secret -n demo db-password -o name
rc_secret=$rc
as "$TWOFOLD_KUBECONFIG_ALICE" create clusterrolebinding alice-view --clusterrole=view --user=oidc:alice --dry-run=server
if (( rc_secret == 0 && rc == 0 )); then pass "alice may"; else fail "alice was refused"; fi

step "bob writes a ConfigMap in namespace demo, where an Audit-mode policy applies" \
     "allowed, with a warning saying what would be denied"
as "$TWOFOLD_KUBECONFIG_BOB" create configmap -n demo "bob-$(date +%s)" --from-literal=k=v
if (( rc == 0 )) && [[ $err == *"Warning: Twofold audit: MfaPolicy \"configmap-writes-audit\" would deny"* ]]; then
  pass "allowed with Twofold's audit warning"
else
  fail "expected an allowed write with an audit warning"
fi

step "machines: the pod web asks Twofold's agent endpoint for its certificate (twofold agent --once)" \
     "its projected token (audience twofold) is reviewed, node and pod attested, spiffe://demo.twofold.local/ns/demo/sa/web issued"
# As the kubelet would: the node joins the trusted pool of TrustDomain demo, the pod runs and carries app=web.
"$KUBECTL" label node demo-node twofold.dev/trusted=true --overwrite >/dev/null
"$KUBECTL" label pod -n demo web app=web --overwrite >/dev/null
"$KUBECTL" patch pod -n demo web --subresource=status --type=merge \
  -p '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}' >/dev/null
agent_dir=$(mktemp -d)
"$KUBECTL" create token web -n demo --audience twofold --bound-object-kind Pod --bound-object-name web \
  --duration 10m >"$agent_dir/token"
"$KUBECTL" get secret -n twofold-system twofold-webhook-tls -o jsonpath='{.data.ca\.crt}' | base64 -d \
  >"$agent_dir/server-ca.crt"
printf '   $ twofold agent --once --server %s --dir %s\n' "$TWOFOLD_AGENT_URL" "$agent_dir/certs"
agent_out=$("${TWOFOLD_HOME:?}/twofold" agent --once --timeout 60s --server "$TWOFOLD_AGENT_URL" \
  --server-ca "$agent_dir/server-ca.crt" --token-file "$agent_dir/token" --dir "$agent_dir/certs" 2>&1); rc=$?
printf '%s\n' "$agent_out" | grep -o 'agent \(certificate written\|attempt failed\|giving up\).*' | sed 's/^/     /'
if (( rc == 0 )) && [[ $agent_out == *"spiffeId=spiffe://demo.twofold.local/ns/demo/sa/web"* ]] \
   && [[ -s $agent_dir/certs/tls.key && -s $agent_dir/certs/tls.crt && -s $agent_dir/certs/bundle.pem ]]; then
  pass "tls.key, tls.crt and bundle.pem written for spiffe://demo.twofold.local/ns/demo/sa/web"
else
  fail "the agent got no certificate (exit $rc)"
fi
rm -rf "$agent_dir"

printf '\n'
if (( failures )); then bold "tour finished: $failures expectation(s) FAILED"; exit 1; fi
bold "tour finished: every expectation held"
