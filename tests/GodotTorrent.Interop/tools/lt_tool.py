#!/usr/bin/python3
"""libtorrent 2.0 as a reference tool for the interop tests. Run with /usr/bin/python3.

Every one-shot subcommand prints one JSON object to stdout; errors go to stderr with exit
code 1. The long-running ones (seed, download) print one JSON object per line, flushed.
Every subcommand is bounded in time (its --timeout, default 60 s, 300 s for seed and
download; SIGALRM fires 5 s later).

Subcommands
  create --path P --out F [--piece-size N] [--v1|--v2|--hybrid] [--tracker URL[@TIER]]...
         [--web-seed URL]... [--private] [--comment T] [--creator T] [--no-date]
         [--write-private-zero] [--order bytes|tree|casefold]
      Files are added to lt.file_storage by us, never by libtorrent's directory walk (that
      follows the file system's order):
        --v1      sorted by the raw bytes of the whole relative path with '/' separators
                  (what mktorrent and transmission-create do: "a-c" < "a.txt" < "a/b");
        --v2/--hybrid sorted component by component (the order of the BEP 52 file tree:
                  "a/b" < "a-c" < "a.txt"); libtorrent needs this order for v2.
      --order bytes|tree|casefold overrides that: casefold is the whole path with ASCII letters
      compared case-insensitively, the order of transmission-create 3.00 ("_x" < "a" < "B").
      A tracker without @TIER gets the tier equal to its position among --tracker options
      (like repeated mktorrent -a); URL@N puts it in tier N (several URLs may share a tier).
      libtorrent writes "creation date" (time of day) by default and no "created by";
      --no-date drops the date and --creator sets "created by", so the output is reproducible.
      --write-private-zero writes "private": 0 into the info dict when not --private
      (transmission-create always writes the key, which changes the v1 info-hash).
      Prints the `info` JSON of the written file.
  info --torrent F
      name, multi_file, total_size (including pad files), piece_length, num_pieces,
      info_hash_v1/v2 (hex or null), files[], trackers [{url, tier}] and web_seeds exactly as
      written in the file, private, comment, creator ("created by"), creation_date (null when
      absent), top_keys and info_keys (the raw dictionary keys, for diagnosing hash mismatches).
  magnet --torrent F                    -> {"uri": ...}
  parse-magnet --uri U                  -> {"info_hash_v1", "info_hash_v2", "name", "trackers",
                                            "peers", "web_seeds"}
  recheck --torrent F --data DIR        -> {"pieces": "1101...", "num_pieces": n, "state": s}
      Adds the torrent (trackers, web seeds and DHT nodes stripped, so nothing is contacted)
      to a loopback-only session with save_path DIR and waits until checking is done.
  seed --torrent F --data DIR [--port P] [--peer HOST:PORT]... [--timeout S] [--upload-limit B]
       [--enc-policy forced|enabled|disabled] [--enc-level plaintext|rc4|both] [--prefer-rc4]
       [--transport tcp|utp|both]
      Long-running. Adds the torrent (save_path DIR, no seed_mode: libtorrent checks the data)
      to a loopback-only session listening on 127.0.0.1:P (0 picks a free port). Prints JSON
      lines: {"event":"listening","port":N}, then {"event":"seeding"} once checked and complete
      (exit 1 with {"event":"error"} if the data is incomplete), then {"event":"stats",...}
      every second. Dials each --peer every 3 s while it is not connected and has not been seen
      as a seed. Runs until killed or --timeout (default 300 s), then exits 0.
  download (--torrent F | --magnet URI) --out DIR [--port P] [--peer HOST:PORT]... [--timeout S]
           [--seed-after S] [--enc-policy ...] [--enc-level ...] [--prefer-rc4] [--transport ...]
      Long-running. Same session; dials the peers the same way (magnets get their metadata
      from them via ut_metadata). Prints {"event":"listening"}, {"event":"metadata"} (magnets),
      {"event":"progress",...} lines (5 a second), then {"event":"complete", "seconds",
      "first_byte_seconds", "downloaded"} once libtorrent has every piece hash-checked (state
      seeding/finished). Seeds on for --seed-after seconds (default 0), then exits 0. On
      timeout prints {"event":"timeout",...} and exits 2. Until complete it writes one stderr
      line per peer_disconnected, peer_error, peer_ban and hash_failed alert ("lt <seconds>s
      <alert>: <message>", with the peer's endpoint and the reason), so a stall says why.
  Encryption (MSE/PE) of seed and download: --enc-policy sets in_enc_policy and out_enc_policy
  (libtorrent's default: enabled), --enc-level allowed_enc_level (default both), --prefer-rc4
  prefer_rc4. Forced RC4 = --enc-policy forced --enc-level rc4 --prefer-rc4; plaintext only =
  --enc-policy disabled. Both commands sample their peers' flags every loop turn and add
  "encryption_seen" to stats, progress and complete lines: the sorted kinds seen so far on
  connected peers, "rc4", "plaintext" (MSE handshake, then plaintext) or "none" (no MSE).
  Transport (BEP 29) of seed and download: --transport tcp (the default: uTP off both ways),
  utp (enable_incoming_tcp/enable_outgoing_tcp off, uTP on) or both (libtorrent's defaults,
  which dial uTP first). Whenever uTP is on, the UDP socket buffers are 1 MiB
  (recv/send_socket_buffer_size): with the kernel's default libtorrent's uTP crawls on loopback
  (receive-buffer overflow). Both commands add "transports_seen" next to "encryption_seen": the
  sorted transports of the connected peers seen so far, "utp" (peer_info.flags bit 17) or "tcp".
  --listen ADDRESS (seed, download) listens there instead of on 127.0.0.1.

Path convention of `info` files[].path: libtorrent's file_storage.file_path(i) with '/'
separators, in the torrent's file order. Multi-file torrents: "<name>/<dir>/<file>" (the
torrent name is the first component). Single-file torrents: "<name>". Pad files of v2/hybrid
torrents appear as "<name>/.pad/<size>" with pad = true (v1-only torrents made here have
none). For v2-only torrents libtorrent aligns every file to a piece in memory, so it lists
pad files (and total_size counts them) although the file tree has none; a single-file v2
torrent shows "<name>/.pad/<size>" too. offset is the position in that padded layout.
"""

import argparse
import json
import os
import signal
import sys
import time

import libtorrent as lt


class ToolError(Exception):
    pass


def hexornull(h, width):
    s = str(h)
    if s == "0" * width:
        return None
    return s


def decode_file(path):
    with open(path, "rb") as f:
        data = f.read()
    e = lt.bdecode(data)
    if not isinstance(e, dict):
        raise ToolError("not a bencoded dictionary: " + path)
    return data, e


def text(v):
    if v is None:
        return None
    if isinstance(v, bytes):
        return v.decode("utf-8", errors="replace")
    return str(v)


def is_multi_file(info):
    if b"files" in info:
        return True
    tree = info.get(b"file tree")
    if isinstance(tree, dict):
        if len(tree) != 1:
            return True
        (key, node), = tree.items()
        return not (isinstance(node, dict) and b"" in node and key == info.get(b"name"))
    return False


def info_json(path):
    _, e = decode_file(path)
    ti = lt.torrent_info(path)
    fs = ti.files()
    ih = ti.info_hashes()
    raw_info = e.get(b"info", {})
    files = []
    for i in range(fs.num_files()):
        flags = fs.file_flags(i)
        root = hexornull(fs.root(i), 64)
        files.append({
            "path": fs.file_path(i).replace(os.sep, "/"),
            "size": fs.file_size(i),
            "offset": fs.file_offset(i),
            "pad": bool(flags & lt.file_storage.flag_pad_file),
            "executable": bool(flags & lt.file_storage.flag_executable),
            "hidden": bool(flags & lt.file_storage.flag_hidden),
            "symlink": bool(flags & lt.file_storage.flag_symlink),
            "root": root,
        })
    date = ti.creation_date()
    return {
        "name": ti.name(),
        "multi_file": is_multi_file(raw_info),
        "total_size": ti.total_size(),
        "piece_length": ti.piece_length(),
        "num_pieces": ti.num_pieces(),
        "info_hash_v1": hexornull(ih.v1, 40) if ih.has_v1() else None,
        "info_hash_v2": hexornull(ih.v2, 64) if ih.has_v2() else None,
        "files": files,
        "trackers": raw_trackers(e),
        "web_seeds": raw_web_seeds(e),
        "private": bool(ti.priv()),
        "comment": text(e.get(b"comment")),
        "creator": text(e.get(b"created by")),
        "creation_date": (date if date else None),
        "top_keys": sorted(text(k) for k in e.keys()),
        "info_keys": sorted(text(k) for k in raw_info.keys()),
    }


def raw_trackers(e):
    """Trackers in file order. (libtorrent's own torrent_info.trackers() shuffles the URLs
    within a tier, so its order is not reproducible.)"""
    tiers = e.get(b"announce-list")
    if isinstance(tiers, list) and tiers:
        return [{"url": text(u), "tier": t} for t, tier in enumerate(tiers)
                if isinstance(tier, list) for u in tier]
    if b"announce" in e:
        return [{"url": text(e[b"announce"]), "tier": 0}]
    return []


def raw_web_seeds(e):
    """BEP 19 url-list as written. (libtorrent's torrent_info.web_seeds() appends '/' to each
    URL of a multi-file torrent.)"""
    v = e.get(b"url-list")
    if isinstance(v, bytes):
        return [text(v)] if v else []
    if isinstance(v, list):
        return [text(u) for u in v]
    return []


def list_files(root):
    """Regular files under root as (relative path with '/', size)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        for fn in filenames:
            full = os.path.join(dirpath, fn)
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            out.append((rel, os.path.getsize(full)))
    return out


def parse_trackers(values):
    result = []
    for index, v in enumerate(values or []):
        url, tier = v, index
        if "@" in v:
            head, tail = v.rsplit("@", 1)
            if tail.isdigit():
                url, tier = head, int(tail)
        result.append((url, tier))
    return result


def _ascii_lower(b):
    return bytes(c + 32 if 65 <= c <= 90 else c for c in b)


ORDER_KEYS = {
    # raw bytes of the whole path: mktorrent 1.1
    "bytes": lambda e: e[0].encode("utf-8"),
    # component by component: the BEP 52 file tree
    "tree": lambda e: [c.encode("utf-8") for c in e[0].split("/")],
    # whole path, ASCII letters compared case-insensitively (strcasecmp): transmission-create 3.00
    "casefold": lambda e: (_ascii_lower(e[0].encode("utf-8")), e[0].encode("utf-8")),
}


def cmd_create(a):
    path = os.path.abspath(a.path)
    if not os.path.exists(path):
        raise ToolError("no such path: " + path)
    parent = os.path.dirname(path)
    name = os.path.basename(path)
    mode = "v1" if a.v1 else ("v2" if a.v2 else ("hybrid" if a.hybrid else "v1"))
    fs = lt.file_storage()
    if os.path.isdir(path):
        entries = list_files(path)
        if not entries:
            raise ToolError("no files under " + path)
        order = a.order or ("bytes" if mode == "v1" else "tree")
        entries.sort(key=ORDER_KEYS[order])
        for rel, size in entries:
            fs.add_file(name + "/" + rel, size)
    else:
        fs.add_file(name, os.path.getsize(path))
    flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[mode]
    ct = lt.create_torrent(fs, a.piece_size, flags=flags)
    for url, tier in parse_trackers(a.tracker):
        ct.add_tracker(url, tier)
    for url in a.web_seed or []:
        ct.add_url_seed(url)
    if a.private:
        ct.set_priv(True)
    if a.comment is not None:
        ct.set_comment(a.comment)
    if a.creator is not None:
        ct.set_creator(a.creator)
    lt.set_piece_hashes(ct, parent)
    e = ct.generate()
    if a.no_date:
        e.pop(b"creation date", None)
    if a.write_private_zero and not a.private:
        e[b"info"][b"private"] = 0
    out = os.path.abspath(a.out)
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(lt.bencode(e))
    os.replace(tmp, out)
    return info_json(out)


def cmd_info(a):
    return info_json(a.torrent)


def cmd_magnet(a):
    return {"uri": lt.make_magnet_uri(lt.torrent_info(a.torrent))}


def cmd_parse_magnet(a):
    p = lt.parse_magnet_uri(a.uri)
    ih = p.info_hashes
    return {
        "info_hash_v1": hexornull(ih.v1, 40) if ih.has_v1() else None,
        "info_hash_v2": hexornull(ih.v2, 64) if ih.has_v2() else None,
        "name": p.name or None,
        "trackers": list(p.trackers),
        "peers": ["%s:%d" % (ip, port) for ip, port in p.peers],
        "web_seeds": list(p.url_seeds),
    }


def loopback_session():
    return lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "dht_bootstrap_nodes": "",
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_ip_notifier": False,
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.error_notification,
    })


def cmd_recheck(a):
    _, e = decode_file(a.torrent)
    # Strip everything that could make libtorrent contact anything; the info-hash is unchanged.
    for k in (b"announce", b"announce-list", b"url-list", b"httpseeds", b"nodes"):
        e.pop(k, None)
    ti = lt.torrent_info(lt.bencode(e))
    ses = loopback_session()
    try:
        atp = lt.add_torrent_params()
        atp.ti = ti
        atp.save_path = os.path.abspath(a.data)
        atp.flags = lt.torrent_flags.stop_when_ready | lt.torrent_flags.upload_mode
        h = ses.add_torrent(atp)
        deadline = time.monotonic() + a.timeout
        checked = False
        while not checked:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ToolError("recheck timed out after %s s" % a.timeout)
            ses.wait_for_alert(int(min(left, 0.2) * 1000) + 1)
            for al in ses.pop_alerts():
                if isinstance(al, lt.torrent_checked_alert):
                    checked = True
                elif isinstance(al, lt.torrent_error_alert):
                    raise ToolError("torrent error: " + al.message())
        st = h.status(lt.status_flags_t.query_pieces)
        return {
            "pieces": "".join("1" if b else "0" for b in st.pieces),
            "num_pieces": ti.num_pieces(),
            "state": str(st.state),
        }
    finally:
        del ses


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


ENC_POLICIES = {"forced": 0, "enabled": 1, "disabled": 2}
ENC_LEVELS = {"plaintext": 1, "rc4": 2, "both": 3}


def encryption_settings(a):
    """libtorrent's MSE/PE keys from --enc-policy, --enc-level and --prefer-rc4 (only those given)."""
    pack = {}
    if a.enc_policy:
        pack["in_enc_policy"] = ENC_POLICIES[a.enc_policy]
        pack["out_enc_policy"] = ENC_POLICIES[a.enc_policy]
    if a.enc_level:
        pack["allowed_enc_level"] = ENC_LEVELS[a.enc_level]
    if a.prefer_rc4:
        pack["prefer_rc4"] = True
    return pack


TRANSPORTS = ("tcp", "utp", "both")

# Loopback uTP with the kernel's default UDP buffers drops packets and crawls (12-41 MB/s for
# 256 MiB; 167-179 MB/s with 1 MiB buffers, REAL_PEERS.md).
UTP_SOCKET_BUFFER = 1048576


def transport_settings(a):
    """libtorrent's TCP/uTP switches from --transport (tcp keeps peer_session's uTP-off defaults)."""
    if a.transport == "tcp":
        return {}
    pack = {
        "enable_incoming_utp": True,
        "enable_outgoing_utp": True,
        "recv_socket_buffer_size": UTP_SOCKET_BUFFER,
        "send_socket_buffer_size": UTP_SOCKET_BUFFER,
    }
    if a.transport == "utp":
        pack["enable_incoming_tcp"] = False
        pack["enable_outgoing_tcp"] = False
    return pack


def session_settings(a):
    pack = encryption_settings(a)
    pack.update(transport_settings(a))
    if a.listen:
        pack["listen_interfaces"] = "%s:%d" % (a.listen, a.port)
    if a.lsd:
        pack["enable_lsd"] = True
    return pack


# peer_info.flags bit of a uTP connection (the binding names no constant for it).
UTP_SOCKET = 1 << 17


class PeerWatch:
    """What `classify` says of every connected peer seen so far (a transfer can be over between
    two once-a-second stats lines, so it samples whenever the loop wakes)."""

    def __init__(self, handle, classify):
        self.handle = handle
        self.classify = classify
        self.seen = set()

    def sample(self):
        for p in self.handle.get_peer_info():
            if p.flags & (lt.peer_info.connecting | lt.peer_info.handshake):
                continue
            self.seen.add(self.classify(p.flags))

    def report(self):
        return sorted(self.seen)


def encryption_of(flags):
    if flags & lt.peer_info.rc4_encrypted:
        return "rc4"
    if flags & lt.peer_info.plaintext_encrypted:
        return "plaintext"
    return "none"


def transport_of(flags):
    return "utp" if flags & UTP_SOCKET else "tcp"


def peer_session(port, extra=None):
    """Loopback-only session on 127.0.0.1:port for peers that transfer data (TCP only unless
    `extra` turns uTP on)."""
    pack = {
        "listen_interfaces": "127.0.0.1:%d" % port,
        "enable_dht": False,
        "dht_bootstrap_nodes": "",
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_ip_notifier": False,
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "allow_multiple_connections_per_ip": True,
        # Redial a given peer soon after a failed attempt (defaults: 60 s backoff, 3 failures).
        "min_reconnect_time": 1,
        "max_failcount": 100,
        "alert_mask": lt.alert.category_t.status_notification
        | lt.alert.category_t.error_notification
        | lt.alert.category_t.connect_notification
        | lt.alert.category_t.peer_notification,
    }
    pack.update(extra or {})
    return lt.session(pack)


def wait_listening(ses, deadline):
    """The port the session bound (port 0 lets the OS pick one)."""
    while time.monotonic() < deadline:
        for al in ses.pop_alerts():
            if isinstance(al, lt.listen_failed_alert):
                raise ToolError("listen failed: " + al.message())
        port = ses.listen_port()
        if port:
            return port
        ses.wait_for_alert(50)
    raise ToolError("session did not start listening")


def parse_peers(values):
    peers = []
    for v in values or []:
        host, _, port = v.rpartition(":")
        if not host or not port.isdigit():
            raise ToolError("bad --peer (HOST:PORT expected): " + v)
        peers.append((host.strip("[]"), int(port)))
    return peers


class Dialer:
    """Dials each given peer every `interval` seconds while no connection to it is up, until it
    has been seen as a seed (then it needs nothing from us and we nothing from it)."""

    def __init__(self, handle, peers, interval=3.0):
        self.handle = handle
        self.peers = peers
        self.interval = interval
        self.next_try = 0.0
        self.done = set()
        self.dials = 0

    def tick(self, now):
        if now < self.next_try or len(self.done) == len(self.peers):
            return
        self.next_try = now + self.interval
        connected = set()
        for p in self.handle.get_peer_info():
            endpoint = (p.ip[0], p.ip[1])
            if p.flags & (lt.peer_info.connecting | lt.peer_info.handshake):
                continue
            connected.add(endpoint)
            if p.flags & lt.peer_info.seed:
                self.done.add(endpoint)
        for endpoint in self.peers:
            if endpoint not in connected and endpoint not in self.done:
                self.handle.connect_peer(endpoint)
                self.dials += 1


PEER_ALERTS = (lt.peer_connect_alert, lt.peer_disconnected_alert, lt.peer_error_alert,
               lt.incoming_connection_alert, lt.peer_ban_alert)


# Why libtorrent dropped, banned or distrusted a peer: written to stderr by `download`, which the
# harness attaches to a failed wait, so a stalled download says why (hash failures cost every peer
# that sent a block of the piece trust points, and enough of them get a peer banned).
DIAGNOSTIC_ALERTS = (lt.peer_disconnected_alert, lt.peer_error_alert, lt.peer_ban_alert,
                     lt.hash_failed_alert)


def check_errors(ses, diagnose_since=None):
    """Raises on torrent errors; reports peer connections and disconnections as events. With
    `diagnose_since` (a monotonic start time) it also writes DIAGNOSTIC_ALERTS to stderr."""
    for al in ses.pop_alerts():
        if isinstance(al, (lt.torrent_error_alert, lt.file_error_alert)):
            raise ToolError("torrent error: " + al.message())
        if isinstance(al, PEER_ALERTS):
            emit({"event": "peer", "alert": al.what(), "message": al.message()})
        if diagnose_since is not None and isinstance(al, DIAGNOSTIC_ALERTS):
            sys.stderr.write("lt %.3fs %s: %s\n" % (time.monotonic() - diagnose_since, al.what(), al.message()))
            sys.stderr.flush()


def cmd_seed(a):
    ti = lt.torrent_info(a.torrent)
    deadline = time.monotonic() + a.timeout
    ses = peer_session(a.port, session_settings(a))
    port = wait_listening(ses, deadline)
    emit({"event": "listening", "port": port})
    atp = lt.add_torrent_params()
    atp.ti = ti
    atp.save_path = os.path.abspath(a.data)
    if a.upload_limit:
        atp.upload_limit = a.upload_limit
    h = ses.add_torrent(atp)
    while True:
        if time.monotonic() >= deadline:
            raise ToolError("not seeding within %s s" % a.timeout)
        check_errors(ses)
        st = h.status()
        if st.state == lt.torrent_status.seeding:
            break
        if st.state not in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data) \
                and st.num_pieces < ti.num_pieces():
            raise ToolError("data incomplete after the check: %d of %d pieces in %s"
                            % (st.num_pieces, ti.num_pieces(), atp.save_path))
        ses.wait_for_alert(50)
    emit({"event": "seeding", "info_hash_v1": str(ti.info_hashes().v1)})
    dialer = Dialer(h, parse_peers(a.peer))
    watch = PeerWatch(h, encryption_of)
    transports = PeerWatch(h, transport_of)
    next_stats = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        now = time.monotonic()
        check_errors(ses)
        dialer.tick(now)
        watch.sample()
        transports.sample()
        if now >= next_stats:
            next_stats = now + 1.0
            st = h.status()
            emit({"event": "stats", "uploaded": st.total_payload_upload,
                  "upload_rate": st.upload_payload_rate, "peers": st.num_peers,
                  "dials": dialer.dials, "encryption_seen": watch.report(),
                  "transports_seen": transports.report()})
        ses.wait_for_alert(50)
    return {"event": "timeout", "uploaded": h.status().total_payload_upload,
            "encryption_seen": watch.report(), "transports_seen": transports.report()}


def cmd_download(a):
    start = time.monotonic()
    deadline = start + a.timeout
    ses = peer_session(a.port, session_settings(a))
    port = wait_listening(ses, deadline)
    emit({"event": "listening", "port": port})
    if a.magnet:
        atp = lt.parse_magnet_uri(a.magnet)
    else:
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(a.torrent)
    atp.save_path = os.path.abspath(a.out)
    h = ses.add_torrent(atp)
    dialer = Dialer(h, parse_peers(a.peer), interval=2.0)
    watch = PeerWatch(h, encryption_of)
    transports = PeerWatch(h, transport_of)
    has_metadata = not a.magnet
    first_byte = None
    next_progress = 0.0
    while True:
        now = time.monotonic()
        if now >= deadline:
            st = h.status()
            emit({"event": "timeout", "progress": st.progress, "state": str(st.state),
                  "downloaded": st.total_payload_download, "peers": st.num_peers,
                  "encryption_seen": watch.report(), "transports_seen": transports.report()})
            return 2
        check_errors(ses, diagnose_since=start)
        dialer.tick(now)
        watch.sample()
        transports.sample()
        st = h.status()
        if not has_metadata and st.has_metadata:
            has_metadata = True
            emit({"event": "metadata", "seconds": round(now - start, 3)})
        if first_byte is None and st.total_payload_download > 0:
            first_byte = now - start
        if has_metadata and st.state in (lt.torrent_status.seeding, lt.torrent_status.finished) \
                and st.is_finished:
            break
        if now >= next_progress:
            next_progress = now + 0.2
            emit({"event": "progress", "progress": round(st.progress, 4), "state": str(st.state),
                  "downloaded": st.total_payload_download, "download_rate": st.download_payload_rate,
                  "peers": st.num_peers, "encryption_seen": watch.report(),
                  "transports_seen": transports.report()})
        ses.wait_for_alert(20)
    # Make sure every written byte is in the files (libtorrent 2.0 maps them into memory).
    h.flush_cache()
    elapsed = time.monotonic() - start
    emit({"event": "complete", "seconds": round(elapsed, 3),
          "first_byte_seconds": round(first_byte, 3) if first_byte is not None else None,
          "downloaded": st.total_payload_download, "total_wanted": st.total_wanted,
          "failed_bytes": st.total_failed_bytes,
          "encryption_seen": watch.report(), "transports_seen": transports.report()})
    until = min(deadline, time.monotonic() + a.seed_after)
    next_stats = 0.0
    while time.monotonic() < until:
        if time.monotonic() >= next_stats:
            next_stats = time.monotonic() + 1.0
            st = h.status()
            emit({"event": "stats", "uploaded": st.total_payload_upload, "peers": st.num_peers})
        ses.wait_for_alert(200)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(prog="lt_tool.py")
    sub = ap.add_subparsers(dest="cmd", required=True)

    c = sub.add_parser("create")
    c.add_argument("--path", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--piece-size", type=int, default=0)
    g = c.add_mutually_exclusive_group()
    g.add_argument("--v1", action="store_true")
    g.add_argument("--v2", action="store_true")
    g.add_argument("--hybrid", action="store_true")
    c.add_argument("--tracker", action="append")
    c.add_argument("--web-seed", action="append")
    c.add_argument("--private", action="store_true")
    c.add_argument("--comment")
    c.add_argument("--creator")
    c.add_argument("--no-date", action="store_true")
    c.add_argument("--write-private-zero", action="store_true")
    c.add_argument("--order", choices=sorted(ORDER_KEYS))

    i = sub.add_parser("info")
    i.add_argument("--torrent", required=True)
    m = sub.add_parser("magnet")
    m.add_argument("--torrent", required=True)
    pm = sub.add_parser("parse-magnet")
    pm.add_argument("--uri", required=True)
    r = sub.add_parser("recheck")
    r.add_argument("--torrent", required=True)
    r.add_argument("--data", required=True)
    for p in (c, i, m, pm, r):
        p.add_argument("--timeout", type=float, default=60.0,
                       help="bound on the whole command in seconds")
    s = sub.add_parser("seed")
    s.add_argument("--torrent", required=True)
    s.add_argument("--data", required=True)
    s.add_argument("--upload-limit", type=int, default=0, help="bytes per second, 0 = none")
    d = sub.add_parser("download")
    src_group = d.add_mutually_exclusive_group(required=True)
    src_group.add_argument("--torrent")
    src_group.add_argument("--magnet")
    d.add_argument("--out", required=True)
    d.add_argument("--seed-after", type=float, default=0.0)
    for p in (s, d):
        # bench/utp_yield.py runs seeder and downloader in network namespaces joined by a veth pair.
        p.add_argument("--listen", default=None, help="IPv4 address to listen on instead of 127.0.0.1")
    for p in (s, d):
        p.add_argument("--port", type=int, default=0, help="0 picks a free port")
        p.add_argument("--peer", action="append", help="HOST:PORT to dial, repeatable")
        p.add_argument("--lsd", action="store_true",
                       help="local service discovery on (multicast: only inside a private network namespace)")
        p.add_argument("--timeout", type=float, default=300.0,
                       help="bound on the whole command in seconds")
        p.add_argument("--enc-policy", choices=sorted(ENC_POLICIES),
                       help="in_enc_policy and out_enc_policy (default: libtorrent's, enabled)")
        p.add_argument("--enc-level", choices=sorted(ENC_LEVELS),
                       help="allowed_enc_level (default: libtorrent's, both)")
        p.add_argument("--prefer-rc4", action="store_true", help="prefer_rc4")
        p.add_argument("--transport", choices=TRANSPORTS, default="tcp",
                       help="tcp (default: uTP off), utp (TCP off) or both (libtorrent's defaults)")

    a = ap.parse_args(argv)

    def on_alarm(signum, frame):
        raise ToolError("lt_tool.py %s timed out" % a.cmd)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(max(1, int(a.timeout) + 5))
    handlers = {"create": cmd_create, "info": cmd_info, "magnet": cmd_magnet,
                "parse-magnet": cmd_parse_magnet, "recheck": cmd_recheck}
    streaming = {"seed": cmd_seed, "download": cmd_download}
    if a.cmd in streaming:
        try:
            result = streaming[a.cmd](a)
        except Exception as ex:  # noqa: BLE001
            sys.stderr.write("lt_tool.py %s: %s: %s\n" % (a.cmd, type(ex).__name__, ex))
            emit({"event": "error", "message": "%s: %s" % (type(ex).__name__, ex)})
            return 1
        finally:
            signal.alarm(0)
        if isinstance(result, int):
            return result
        emit(result)
        return 0
    try:
        result = handlers[a.cmd](a)
    except Exception as ex:  # noqa: BLE001 - every failure becomes exit code 1 with a message
        sys.stderr.write("lt_tool.py %s: %s: %s\n" % (a.cmd, type(ex).__name__, ex))
        return 1
    finally:
        signal.alarm(0)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
