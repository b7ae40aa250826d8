#!/usr/bin/env bash
# Builds kube-apiserver, kubectl (Kubernetes v$K8S_VERSION) and etcd (v$ETCD_VERSION) from the Go module proxy
# into $TWOFOLD_K8S_DIR, the layout fabric8 kube-api-test reads through KUBE_API_TEST_DIR.
# Rebuilds only what is missing or corrupt: each binary is installed atomically with a .sha256 beside it.
set -euo pipefail

K8S_VERSION=${K8S_VERSION:-1.35.4}
ETCD_VERSION=${ETCD_VERSION:-3.6.16}
CACHE_ROOT=${TWOFOLD_CACHE:-$HOME/.cache/twofold}
OUT=${TWOFOLD_K8S_DIR:-$CACHE_ROOT/k8s/$K8S_VERSION-linux-amd64}
WORK=$CACHE_ROOT/build
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-local}

say() { printf '[control-plane] %s\n' "$*" >&2; }
die() { printf '[control-plane] error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "Go is not installed (needed once to build kube-apiserver and etcd; see README prerequisites)"

valid() { # binary is present, its checksum matches, and it runs
  local bin=$OUT/$1
  [[ -x $bin && -f $bin.sha256 ]] || return 1
  [[ "$(sha256sum "$bin" | cut -d' ' -f1)" == "$(cat "$bin.sha256")" ]] || { say "$1 is corrupt (checksum mismatch); rebuilding"; return 1; }
}

install_bin() { # atomically move a freshly built binary into the cache
  local built=$1 name=$2
  mkdir -p "$OUT"
  cp "$built" "$OUT/.$name.tmp"
  sha256sum "$OUT/.$name.tmp" | cut -d' ' -f1 > "$OUT/.$name.sha256.tmp"
  mv "$OUT/.$name.tmp" "$OUT/$name"
  mv "$OUT/.$name.sha256.tmp" "$OUT/$name.sha256"
}

build_kubernetes() {
  local mod=$WORK/kubernetes-$K8S_VERSION
  mkdir -p "$mod"
  say "resolving k8s.io/kubernetes v$K8S_VERSION from the Go module proxy"
  local gomod
  gomod=$(cd "$mod" && go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p') \
    || die "could not download k8s.io/kubernetes v$K8S_VERSION (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
  [[ -f $gomod ]] || die "no go.mod for k8s.io/kubernetes v$K8S_VERSION"
  local staging="0.${K8S_VERSION#1.}"
  {
    echo "module twofold.dev/build/kubernetes"
    echo
    echo "go $(sed -n 's/^go \(.*\)/\1/p' "$gomod")"
    echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo
    echo "replace ("
    sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\t\1 => \1 v'"$staging"'#p' "$gomod"
    echo ")"
  } > "$mod/go.mod"
  say "fetching modules (cold: several hundred MB)"
  (cd "$mod" && go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" "k8s.io/kubernetes/cmd/kubectl@v$K8S_VERSION") \
    || die "go get failed for k8s.io/kubernetes v$K8S_VERSION"
  local pkg=k8s.io/component-base/version cpkg=k8s.io/client-go/pkg/version
  local ld="-s -w"
  for p in $pkg $cpkg; do
    ld+=" -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=${K8S_VERSION#1.} -X $p.gitTreeState=clean"
    ld+=" -X $p.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  ld=${ld//-X $pkg.gitMinor=${K8S_VERSION#1.}/-X $pkg.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)}
  ld=${ld//-X $cpkg.gitMinor=${K8S_VERSION#1.}/-X $cpkg.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)}
  for cmd in "$@"; do
    say "compiling $cmd v$K8S_VERSION (cold: 5-15 minutes on 2 cores)"
    (cd "$mod" && go build -trimpath -ldflags "$ld" -o "$mod/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd") \
      || die "go build of $cmd failed"
    install_bin "$mod/bin/$cmd" "$cmd"
  done
}

build_etcd() {
  local mod=$WORK/etcd-$ETCD_VERSION
  mkdir -p "$mod"
  cat > "$mod/go.mod" <<GOMOD
module twofold.dev/build/etcd

go 1.24
GOMOD
  cat > "$mod/main.go" <<'GO'
// etcd's own main module replaces its siblings with local paths, so it cannot be built from the proxy;
// its server module exports the same entry point.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  say "fetching go.etcd.io/etcd/server/v3 v$ETCD_VERSION"
  (cd "$mod" && go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" && go mod tidy) \
    || die "could not fetch etcd v$ETCD_VERSION from the Go module proxy"
  say "compiling etcd v$ETCD_VERSION"
  (cd "$mod" && go build -trimpath -ldflags "-s -w" -o "$mod/bin/etcd" .) || die "go build of etcd failed"
  install_bin "$mod/bin/etcd" etcd
}

missing=()
for b in kube-apiserver kubectl; do valid "$b" || missing+=("$b"); done
if (( ${#missing[@]} )); then build_kubernetes "${missing[@]}"; fi
valid etcd || build_etcd
for b in kube-apiserver kubectl etcd; do valid "$b" || die "$b failed verification after build"; done
say "ready: $OUT ($("$OUT/kube-apiserver" --version))"
