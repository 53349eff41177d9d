#!/usr/bin/env bash
# Declares every new public symbol in src/GodotTorrent/PublicAPI.Unshipped.txt (the
# PublicApiAnalyzers code fixes for RS0016/RS0017, applied by dotnet format), then sorts it.
# Run after changing public API on purpose; the diff of the .txt file is the API review.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet format analyzers src/GodotTorrent/GodotTorrent.csproj --diagnostics RS0016 RS0017 --severity info >/dev/null 2>&1 || true
file=src/GodotTorrent/PublicAPI.Unshipped.txt
{ head -1 "$file"; tail -n +2 "$file" | sed '/^$/d' | LC_ALL=C sort -u; } > "$file.tmp" && mv "$file.tmp" "$file"
dotnet build src/GodotTorrent/GodotTorrent.csproj -nologo -v q 2>&1 | grep -E "error (RS00|CS)" | sort -u | head -20 || true
