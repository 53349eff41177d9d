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
# A C toolchain and zlib's headers link the native CLI (scripts/publish-native.sh, NativeCliInteropTests).
command -v clang >/dev/null || command -v gcc >/dev/null || missing+=(gcc)
[ -e /usr/include/stdio.h ] || missing+=(libc6-dev)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)

# miniupnpd (a real router daemon, run only inside the port-mapping tests' network namespaces:
# tests/GodotTorrent.Interop/Harness/NatRouter.cs), its two clients, and nft for the router's rules.
[ -x /usr/sbin/miniupnpd ] || missing+=(miniupnpd)
command -v upnpc >/dev/null || missing+=(miniupnpc)
command -v natpmpc >/dev/null || missing+=(natpmpc)
[ -x /usr/sbin/nft ] || missing+=(nftables)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # miniupnpd's package asks debconf questions and may start its service on the host's own
  # interfaces: answer "do not start", and refuse every service start while installing unless
  # the machine already has a policy-rc.d (containers usually do).
  echo "miniupnpd miniupnpd/start_daemon boolean false" | $sudo debconf-set-selections
  policy_made=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod 755 /usr/sbin/policy-rc.d
    policy_made=1
    trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$policy_made" ]; then
    $sudo rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
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
