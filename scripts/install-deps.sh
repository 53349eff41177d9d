#!/usr/bin/env bash
# Installs the real BitTorrent clients the interop tests run against (see tests/GodotTorrent.Interop).
# Idempotent and quick when everything is present; needs root (or sudo) only when something is missing.
set -euo pipefail

missing=()
command -v mktorrent >/dev/null || missing+=(mktorrent)
command -v transmission-create >/dev/null || missing+=(transmission-cli)
command -v transmission-daemon >/dev/null || missing+=(transmission-daemon)
command -v aria2c >/dev/null || missing+=(aria2)
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || missing+=(python3-libtorrent)
# Ed25519 key pairs for the DHT item tests (tools/lt_dht.py, tools/ed25519_tool.py); ip(8) for its private network.
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || missing+=(python3-cryptography)
command -v ip >/dev/null || missing+=(iproute2)
# nginx serves the web-seed tests' files (tests/GodotTorrent.Interop/Harness/NginxServer.cs, bench/webseed.py); curl is the bench's baseline.
command -v nginx >/dev/null || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The interop harness (tests/GodotTorrent.Interop/tools/lt_tool.py) needs libtorrent 2.x under
# Debian's interpreter (v2 and hybrid torrents, info_hashes); fail loudly instead of in every test.
/usr/bin/python3 -c 'import libtorrent, sys; sys.exit(0 if libtorrent.__version__.startswith("2.") else "libtorrent " + libtorrent.__version__ + " found; 2.x needed")'

# The npm bittorrent-tracker server for the tracker interop tests (tests/GodotTorrent.Interop/
# tools/tracker). --ignore-scripts and the webrtc-polyfill override (a local stub) avoid the
# native WebRTC build its client side wants; the HTTP/UDP server never uses WebRTC.
tracker_dir="$(dirname "$0")/../tests/GodotTorrent.Interop/tools/tracker"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-deps: installing nodejs npm"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [ ! -f "$tracker_dir/node_modules/bittorrent-tracker/package.json" ] \
   || [ "$tracker_dir/package.json" -nt "$tracker_dir/node_modules/.package-lock.json" ]; then
  echo "install-deps: npm install bittorrent-tracker"
  (cd "$tracker_dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
