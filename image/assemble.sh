#!/usr/bin/env bash
# Lays out the Twofold runtime in $1 (an empty or missing directory): the Dockerfile's build stage runs exactly this,
# and image/verify-runtime.sh runs it on a machine without a container engine.
#
#   $1/lib/    the operator module's jar and its runtime dependencies (crds, webhook, fabric8, JOSDK, ...): the
#              operator depends on the webhook, so its closure is everything `twofold operator|webhook|agent` needs
#   $1/java/   a jlink'd Java runtime with only the modules jdeps finds in those jars, plus a CDS archive
#
# Needs a JDK 25 (JAVA_HOME or the java on PATH) and Maven. TWOFOLD_MVN_ARGS adds Maven arguments (e.g. -o).
# Never installs anything into the local Maven repository.
set -euo pipefail

OUT=${1:?usage: image/assemble.sh <output directory>}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JDK=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
say() { printf '[image] %s\n' "$*" >&2; }
die() { printf '[image] error: %s\n' "$*" >&2; exit 1; }

[[ -x $JDK/bin/jlink && -x $JDK/bin/jdeps ]] || die "no jlink/jdeps under $JDK (set JAVA_HOME to a JDK 25)"
release=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK/release")
[[ $release == 25 ]] || die "the runtime is jlink'd from JDK 25, found $release at $JDK"
[[ ! -e $OUT || -z $(ls -A "$OUT") ]] || die "$OUT is not empty"
mkdir -p "$OUT/lib"
OUT=$(cd "$OUT" && pwd)

# 1. The jars: the operator module and everything it needs at run time (e2e, tests and test scopes stay out).
say "building the operator module and its reactor dependencies (mvn package, no tests)"
# shellcheck disable=SC2086
(cd "$ROOT" && mvn -B -q ${TWOFOLD_MVN_ARGS:-} -DskipTests -pl operator -am package dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$OUT/lib")
cp "$ROOT"/operator/target/twofold-operator-*.jar "$OUT/lib/"
rm -f "$OUT"/lib/*-sources.jar "$OUT"/lib/*-tests.jar

# 2. The Java modules those jars use (jdeps), plus the ones reached only by reflection or service loading.
#    jdk.crypto.ec is gone: on JDK 25 elliptic curves are in java.base.
modules=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 -q \
    --class-path "$OUT/lib/*" "$OUT"/lib/*.jar)
modules=$(printf '%s\n' "${modules//,/$'\n'}" jdk.management jdk.httpserver java.net.http jdk.unsupported | sort -u | paste -sd,)
say "Java modules: $modules"

# 3. The runtime: no debug symbols, man pages or headers; a default CDS archive for a faster start.
"$JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
    --generate-cds-archive --output "$OUT/java" >/dev/null
printf '%s\n' "${modules//,/$'\n'}" > "$OUT/java/twofold-modules.txt"
say "runtime $(du -sh "$OUT/java" | cut -f1), jars $(du -sh "$OUT/lib" | cut -f1) in $OUT"
