#!/usr/bin/env bash
# Publishes gdtorrent as one native executable for this machine (Native AOT): no .NET runtime
# needed to run it, no JIT at start or while it transfers. That is the form to ship the CLI in:
# a 1 GiB web-seed download runs at about 0.9x curl's speed natively against 0.5-0.6x with the
# JIT (bench/README.md). Needs a C toolchain (gcc or clang) and zlib's headers, which
# scripts/install-deps.sh installs.
# Usage: scripts/publish-native.sh [output folder]   (default: artifacts/gdtorrent-<rid>)
# Prints the executable's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=$(dotnet --info | awk '$1 == "RID:" { print $2; exit }')
out=${1:-artifacts/gdtorrent-$rid}
dotnet publish src/GodotTorrent.Cli -c Release -r "$rid" -p:PublishAot=true -o "$out" -nologo -v q >&2
echo "$out/gdtorrent"
