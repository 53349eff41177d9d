#!/usr/bin/env bash
# Restores, builds and runs every test: unit tests and interop tests against real clients.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Bencod]
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
dotnet build GodotTorrent.slnx -c Release -nologo -v q
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# One project after the other: the interop tests compare speeds measured in one run, which the
# unit tests' CPU-heavy simulations would otherwise disturb.
for project in tests/GodotTorrent.Tests tests/GodotTorrent.Interop; do
  dotnet test "$project" -c Release --no-build -nologo "$@" 2>&1 | tee -a "$log" || status=$?
done
# One plain closing line over all test assemblies.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' FS='[ ,]+' "$log"
exit $status
