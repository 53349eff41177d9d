#!/usr/bin/env bash
# Publishes gdtorrent as one native executable for this machine (Native AOT): no .NET runtime
# needed to run it, no JIT at start or while it transfers. That is the form to ship the CLI in:
# a 1 GiB web-seed download runs at about 0.9x curl's speed natively against 0.5-0.6x with the
# JIT (bench/README.md). Needs a C toolchain (gcc or clang) and zlib's headers, which
# scripts/install-deps.sh installs.
# Usage: scripts/publish-native.sh [output folder]   (default: artifacts/gdtorrent-<rid>)
# Prints the executable's path on its last line.
# The executable runs on any CPU of its architecture, so it hashes with the platform's SHA-1 and
# SHA-256. GDTORRENT_CPU=native compiles it for this machine's CPU instead (an AVX-512 CPU then
# creates and checks torrents about twice as fast, in 16 hash lanes), and it will then refuse to
# start on a CPU without this one's instruction sets.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=$(dotnet --info | awk '$1 == "RID:" { print $2; exit }')
out=${1:-artifacts/gdtorrent-$rid}
cpu=()
if [[ -n "${GDTORRENT_CPU:-}" ]]; then
  cpu=("-p:IlcInstructionSet=$GDTORRENT_CPU")
fi
dotnet publish src/GodotTorrent.Cli -c Release -r "$rid" -p:PublishAot=true ${cpu[@]+"${cpu[@]}"} -o "$out" -nologo -v q >&2
echo "$out/gdtorrent"
