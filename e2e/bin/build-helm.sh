#!/usr/bin/env bash
# Builds helm v$HELM_VERSION from the Go module proxy into $TWOFOLD_HELM_DIR (default
# ~/.cache/twofold/helm/<version>-k8s<kube major.minor>/), installed atomically with a .sha256 and the build recipe
# beside it; a present, intact binary built by the same recipe is kept.
#
# Like helm's own Makefile, the link flags set the version and the Kubernetes version helm assumes when it talks to no
# cluster (helm template, helm lint, Capabilities.KubeVersion): here the control plane's ($HELM_KUBE_VERSION), so that
# neither needs --kube-version. Without them helm 3.22 assumes v1.20.
set -euo pipefail

HELM_VERSION=${HELM_VERSION:-3.22.0}
HELM_KUBE_VERSION=${HELM_KUBE_VERSION:-1.35}
[[ $HELM_KUBE_VERSION =~ ^([0-9]+)\.([0-9]+)(\.[0-9]+)?$ ]] || { printf '[helm] error: HELM_KUBE_VERSION must be MAJOR.MINOR, got %s\n' "$HELM_KUBE_VERSION" >&2; exit 1; }
KUBE_MAJOR=${BASH_REMATCH[1]} KUBE_MINOR=${BASH_REMATCH[2]}
CACHE_ROOT=${TWOFOLD_CACHE:-$HOME/.cache/twofold}
OUT=${TWOFOLD_HELM_DIR:-$CACHE_ROOT/helm/$HELM_VERSION-k8s$KUBE_MAJOR.$KUBE_MINOR}
WORK=$CACHE_ROOT/build/helm-$HELM_VERSION
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-local}

LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION"
for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
  LDFLAGS+=" -X $pkg.k8sVersionMajor=$KUBE_MAJOR -X $pkg.k8sVersionMinor=$KUBE_MINOR"
done
# What the binary was built from: a change here rebuilds it even where the directory name stays the same.
RECIPE="helm v$HELM_VERSION; go build -trimpath -ldflags '$LDFLAGS'"

say() { printf '[helm] %s\n' "$*" >&2; }
die() { printf '[helm] error: %s\n' "$*" >&2; exit 1; }

if [[ -x $OUT/helm && -f $OUT/helm.sha256 && -f $OUT/recipe ]] \
   && [[ "$(sha256sum "$OUT/helm" | cut -d' ' -f1)" == "$(cat "$OUT/helm.sha256")" ]] \
   && [[ "$(cat "$OUT/recipe")" == "$RECIPE" ]]; then
  say "ready: $OUT/helm"
  exit 0
fi
command -v go >/dev/null || die "Go is not installed (needed once to build helm)"
mkdir -p "$WORK" "$OUT"
cd "$WORK"
[[ -f go.mod ]] || printf 'module twofold.dev/build/helm\n\ngo 1.24\n' > go.mod
say "fetching helm.sh/helm/v3 v$HELM_VERSION from the Go module proxy"
go get -tool "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION" || die "could not fetch helm v$HELM_VERSION (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
say "compiling helm v$HELM_VERSION for Kubernetes $KUBE_MAJOR.$KUBE_MINOR (cold: a few minutes on 2 cores)"
go build -trimpath -ldflags "$LDFLAGS" -o "$WORK/helm" helm.sh/helm/v3/cmd/helm || die "go build of helm failed"
cp "$WORK/helm" "$OUT/.helm.tmp"
sha256sum "$OUT/.helm.tmp" | cut -d' ' -f1 > "$OUT/.helm.sha256.tmp"
printf '%s' "$RECIPE" > "$OUT/.recipe.tmp"
mv "$OUT/.helm.tmp" "$OUT/helm"
mv "$OUT/.helm.sha256.tmp" "$OUT/helm.sha256"
mv "$OUT/.recipe.tmp" "$OUT/recipe"
say "ready: $OUT/helm ($("$OUT/helm" version --short))"
