#!/usr/bin/env bash
# Builds helm v$HELM_VERSION from the Go module proxy into $TWOFOLD_HELM_DIR (default ~/.cache/twofold/helm/<version>/),
# installed atomically with a .sha256 beside it; a present, intact binary is kept.
set -euo pipefail

HELM_VERSION=${HELM_VERSION:-3.22.0}
CACHE_ROOT=${TWOFOLD_CACHE:-$HOME/.cache/twofold}
OUT=${TWOFOLD_HELM_DIR:-$CACHE_ROOT/helm/$HELM_VERSION}
WORK=$CACHE_ROOT/build/helm-$HELM_VERSION
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-local}

say() { printf '[helm] %s\n' "$*" >&2; }
die() { printf '[helm] error: %s\n' "$*" >&2; exit 1; }

if [[ -x $OUT/helm && -f $OUT/helm.sha256 && "$(sha256sum "$OUT/helm" | cut -d' ' -f1)" == "$(cat "$OUT/helm.sha256")" ]]; then
  say "ready: $OUT/helm"
  exit 0
fi
command -v go >/dev/null || die "Go is not installed (needed once to build helm)"
mkdir -p "$WORK" "$OUT"
cd "$WORK"
[[ -f go.mod ]] || printf 'module twofold.dev/build/helm\n\ngo 1.24\n' > go.mod
say "fetching helm.sh/helm/v3 v$HELM_VERSION from the Go module proxy"
go get -tool "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION" || die "could not fetch helm v$HELM_VERSION (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
say "compiling helm v$HELM_VERSION (cold: a few minutes on 2 cores)"
go build -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" -o "$WORK/helm" helm.sh/helm/v3/cmd/helm \
  || die "go build of helm failed"
cp "$WORK/helm" "$OUT/.helm.tmp"
sha256sum "$OUT/.helm.tmp" | cut -d' ' -f1 > "$OUT/.helm.sha256.tmp"
mv "$OUT/.helm.tmp" "$OUT/helm"
mv "$OUT/.helm.sha256.tmp" "$OUT/helm.sha256"
say "ready: $OUT/helm ($("$OUT/helm" version --short))"
