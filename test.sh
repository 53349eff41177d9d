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
dotnet test GodotTorrent.slnx -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line over all test assemblies.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' FS='[ ,]+' "$log"
exit $status
