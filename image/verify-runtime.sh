#!/usr/bin/env bash
# Runs the Dockerfile's build stage (image/assemble.sh) on this machine, without a container engine, then starts the
# jlink'd runtime the way the image's ENTRYPOINT does and checks that every command works with only those modules:
#   twofold --help | operator --help | webhook --help     exit 0 with their usage
#   twofold webhook against an unreachable API server       serves /healthz 200, /readyz 503 and Twofold's metrics
#   twofold operator against an unreachable API server      fails with one line and exit 1, no missing class or module
# Prints the runtime's size and the RSS of each. Usage: image/verify-runtime.sh [work dir] (default: a temp dir).
# TWOFOLD_MVN_ARGS passes Maven arguments to the build (e.g. -o).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-$(mktemp -d -t twofold-image.XXXXXX)}
OUT=$WORK/opt/twofold
say() { printf '[verify] %s\n' "$*" >&2; }
fail() { printf '[verify] FAILED: %s\n' "$*" >&2; exit 1; }

if [[ -z ${JAVA_HOME:-} ]]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    [[ -x $candidate/bin/jlink ]] && export JAVA_HOME=$candidate && break
  done
fi
rm -rf "$OUT"
"$ROOT/image/assemble.sh" "$OUT"

# The image's environment and ENTRYPOINT (keep in step with the Dockerfile).
ENTRYPOINT=("$OUT/java/bin/java" -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir="$WORK/tmp"
            -cp "$OUT/lib/*" dev.twofold.operator.Launcher)
export MALLOC_ARENA_MAX=2
export JAVA_TOOL_OPTIONS=$(sed -n 's/^ *JAVA_TOOL_OPTIONS="\(.*\)"$/\1/p' "$ROOT/Dockerfile")
[[ -n $JAVA_TOOL_OPTIONS ]] || fail "no JAVA_TOOL_OPTIONS line found in the Dockerfile"
# No container memory limit here: MaxRAMPercentage would size the heap from the host's memory. Emulate the chart's
# 384Mi limit (25% = 96 MiB of heap) with a fixed maximum.
export JAVA_TOOL_OPTIONS="$JAVA_TOOL_OPTIONS -Xmx96m"
mkdir -p "$WORK/tmp"

timed() { # label, command...: runs it, prints exit code, wall time and peak RSS; output in $WORK/<label>.log
  local label=$1; shift
  /usr/bin/time -f "%x %e %M" -o "$WORK/$label.time" "$@" >"$WORK/$label.log" 2>&1 || true
  read -r code secs kib < <(tail -1 "$WORK/$label.time") # GNU time puts "Command exited with ..." first
  say "$label: exit $code, ${secs}s, peak RSS $((kib / 1024)) MiB"
  if grep -Eq 'NoClassDefFoundError|ClassNotFoundException|module .* not found' "$WORK/$label.log"; then
    cat "$WORK/$label.log" >&2; fail "$label: a class or module is missing from the runtime"
  fi
  echo "$code"
}

[[ $(timed help "${ENTRYPOINT[@]}" --help | tail -1) == 0 ]] && grep -q 'usage: twofold <command>' "$WORK/help.log" \
  || fail "twofold --help"
for command in operator webhook; do
  [[ $(timed "$command-help" "${ENTRYPOINT[@]}" "$command" --help | tail -1) == 0 ]] \
    && grep -q "usage: twofold $command" "$WORK/$command-help.log" || fail "twofold $command --help"
done

# An API server that refuses connections: the components start as far as they can without one.
cat > "$WORK/kubeconfig" <<'KC'
apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none, namespace: twofold-system}}]
current-context: none
KC
export KUBECONFIG=$WORK/kubeconfig
read -r HTTPS_PORT METRICS_PORT < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
"${ENTRYPOINT[@]}" webhook --bind=127.0.0.1 --port="$HTTPS_PORT" --metrics-port="$METRICS_PORT" >"$WORK/webhook.log" 2>&1 &
WEBHOOK=$!
trap 'kill $WEBHOOK 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$METRICS_PORT/healthz") == 200 ]] && break
  kill -0 $WEBHOOK 2>/dev/null || { cat "$WORK/webhook.log" >&2; fail "the webhook exited"; }
  sleep 0.5
done
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$METRICS_PORT/healthz") == 200 ]] || fail "webhook /healthz"
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$METRICS_PORT/readyz") == 503 ]] || fail "webhook /readyz"
curl -s "http://127.0.0.1:$METRICS_PORT/metrics" > "$WORK/webhook.metrics"
for metric in twofold_policies_loaded twofold_webhook_certificate_expiry_seconds jvm_memory_used_bytes; do
  grep -q "^$metric" "$WORK/webhook.metrics" || fail "the webhook does not serve $metric"
done
sleep 5 # let the informers' first retries settle before reading the idle footprint
say "webhook (serving, no API server): RSS $(( $(awk '/VmRSS/ {print $2}' /proc/$WEBHOOK/status) / 1024 )) MiB"
kill $WEBHOOK; wait $WEBHOOK 2>/dev/null || true; trap - EXIT
if grep -Eq 'NoClassDefFoundError|ClassNotFoundException' "$WORK/webhook.log"; then
  cat "$WORK/webhook.log" >&2; fail "the webhook misses a class"
fi

code=$(timed operator-start timeout 120 "${ENTRYPOINT[@]}" operator --metrics-port="$METRICS_PORT" | tail -1)
[[ $code == 1 ]] && grep -q '^twofold operator: ' "$WORK/operator-start.log" \
  || { cat "$WORK/operator-start.log" >&2; fail "operator without an API server: expected one line and exit 1"; }

say "Java runtime: $(du -sh "$OUT/java" | cut -f1) ($(paste -sd, "$OUT/java/twofold-modules.txt")); jars: $(du -sh "$OUT/lib" | cut -f1), $(ls "$OUT/lib" | wc -l) files"
say "OK (work dir $WORK)"
