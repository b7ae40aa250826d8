#!/usr/bin/env bash
# Refreshes the chart's CRDs (charts/twofold/crds/) from the ones the build generates from the Java model
# (crds/target/classes/META-INF/fabric8/<name>-v1.yml -> charts/twofold/crds/<name>.yaml: a two-line header, then
# the generated file byte for byte).
# The crds module's ChartCrdsTest fails the build while the two differ.
#   charts/refresh-crds.sh             builds the crds module first (mvn -pl crds process-classes)
#   charts/refresh-crds.sh --no-build  copies what the last build generated
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GENERATED=$ROOT/crds/target/classes/META-INF/fabric8
CHART_CRDS=$ROOT/charts/twofold/crds
HEADER="Copied by charts/refresh-crds.sh from the crds module's build: edit the Java model, not this file."

if [[ ${1:-} != --no-build ]]; then
  echo "[refresh-crds] generating CRDs: mvn -B -q -pl crds process-classes" >&2
  (cd "$ROOT" && mvn -B -q -pl crds process-classes)
fi
shopt -s nullglob
generated=("$GENERATED"/*-v1.yml)
(( ${#generated[@]} > 0 )) || { echo "[refresh-crds] error: no CRDs in $GENERATED (build the crds module)" >&2; exit 1; }
mkdir -p "$CHART_CRDS"
rm -f "$CHART_CRDS"/*.yaml
for file in "${generated[@]}"; do
  name=$(basename "$file" -v1.yml)
  # A leading document separator: `helm show crds` concatenates the files as they are.
  { printf -- '---\n# %s\n' "$HEADER"; cat "$file"; } > "$CHART_CRDS/$name.yaml"
  echo "[refresh-crds] $name" >&2
done
