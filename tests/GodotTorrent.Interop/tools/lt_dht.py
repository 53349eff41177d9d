#!/usr/bin/python3
"""A DHT of libtorrent nodes in a private network namespace, for the DHT interop tests.

Run as root with /usr/bin/python3; the script enters a new network namespace itself
(unshare(CLONE_NEWNET)) before it opens a socket, so nothing it or its children do can leave
the machine: inside, `lo` answers for all of 127.0.0.0/8 and there is no other interface.

    lt_dht.py --nodes N --steps STEPS.json [--timeout S] [--work DIR]

Node i listens on 127.0.0.(10+i):6881 with the DHT on (LSD, UPnP, NAT-PMP off, no bootstrap
routers), and every node is told of every other (add_dht_node), which fills their routing
tables in under a second (see shared/REAL_PEERS.md). Then the steps run in order. Each step is
a JSON object with "do" and its arguments; every step prints one JSON line to stdout with its
result ({"step": i, "do": ..., ...}), and the script ends with {"event": "done", "ok": bool}.
Placeholders in command strings: {ROUTERS} (comma-separated node endpoints), {DHT_ARGS}
("--dht-bootstrap 127.0.0.10:6881 --dht-bootstrap ..."), {NODE0} (first node's endpoint).

Steps
  {"do": "seed", "node": i, "torrent": F, "data": DIR}
      node i seeds F from DIR with no tracker (trackers and web seeds stripped); waits until
      it is seeding.
  {"do": "run", "cmd": "...", "timeout": S, "background": bool, "name": N}
      runs cmd with bash inside the namespace; foreground: waits for it (bounded) and reports
      exit code and the last lines of output; background: keeps it running (killed at the end
      or by {"do": "stop", "name": N}). Output goes to WORK/N.out.
  {"do": "stop", "name": N}          SIGINT, then SIGKILL after 5 s; reports the exit code.
  {"do": "wait-output", "name": N, "contains": TEXT, "timeout": S}
      waits (bounded) until the output of background process N holds TEXT; fails at once if
      the process ended without it. Reports the seconds waited and the last lines.
  {"do": "find-peers", "node": i, "info_hash": HEX40, "expect": "127.0.0.2", "timeout": S}
      dht_get_peers every second until a reply lists the expected address.
  {"do": "download", "node": i, "magnet": URI, "out": DIR, "timeout": S, "peers": [HOST:PORT]}
      node i adds the magnet (no trackers; no peers unless given: the DHT only) and waits until
      complete; on time-out it reports its peers and their comings and goings.
  {"do": "put-mutable", "node": i, "seed": HEX64, "salt": S, "value": V}   (libtorrent puts the
      current sequence number + 1; the result reports it)
  {"do": "get-mutable", "node": i, "public": HEX64 (or "seed": HEX64), "salt": S, "timeout": S}
      value: a string or an integer or a dict/list (bencoded by libtorrent). The secret key
      libtorrent wants is the 64-byte expanded one, derived here from the 32-byte seed.
  {"do": "put-immutable", "node": i, "value": V}   -> target hex
  {"do": "get-immutable", "node": i, "target": HEX40, "timeout": S}
  {"do": "sleep", "seconds": S}
"""
import argparse
import ctypes
import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import libtorrent as lt

CLONE_NEWNET = 0x40000000


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def enter_private_network():
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET) failed: run as root")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)


def node_address(i):
    return "127.0.0.%d" % (10 + i)


def make_node(i):
    settings = {
        "listen_interfaces": "%s:6881" % node_address(i),
        "enable_dht": True,
        "dht_bootstrap_nodes": "",
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_prefer_verified_node_ids": False,
        "dht_enforce_node_id": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_ip_notifier": False,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.all_categories,
    }
    return lt.session(settings)


def drain(ses):
    return ses.pop_alerts()


def routing_table_size(ses, timeout=2.0):
    ses.post_dht_stats()
    deadline = time.time() + timeout
    while time.time() < deadline:
        ses.wait_for_alert(200)
        for a in drain(ses):
            if isinstance(a, lt.dht_stats_alert):
                return sum(b["num_nodes"] for b in a.routing_table)
    return -1


def expanded_secret(seed):
    h = bytearray(hashlib.sha512(seed).digest())
    h[0] &= 248
    h[31] &= 63
    h[31] |= 64
    return bytes(h)


def public_key(seed):
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise RuntimeError("python3-cryptography is needed for mutable items")
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def to_entry(value):
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, dict):
        return {k.encode(): to_entry(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_entry(v) for v in value]
    return value


def from_entry(value):
    if isinstance(value, lt.sha1_hash):
        return str(value)
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            return value.hex()
    if isinstance(value, dict):
        return {(k.decode() if isinstance(k, bytes) else k): from_entry(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_entry(v) for v in value]
    return value


class Runner:
    def __init__(self, count, work):
        self.nodes = [make_node(i) for i in range(count)]
        self.work = work
        self.procs = {}
        self.handles = []
        routers = ["%s:6881" % node_address(i) for i in range(count)]
        self.placeholders = {
            "{ROUTERS}": ",".join(routers),
            "{DHT_ARGS}": " ".join("--dht-bootstrap " + r for r in routers[:3]),
            "{NODE0}": routers[0],
        }

    def mesh(self, timeout):
        count = len(self.nodes)
        for i, ses in enumerate(self.nodes):
            for j in range(count):
                if j != i:
                    ses.add_dht_node((node_address(j), 6881))
        deadline = time.time() + timeout
        sizes = []
        while time.time() < deadline:
            sizes = [routing_table_size(s) for s in self.nodes]
            if all(n >= count - 1 for n in sizes):
                break
            time.sleep(0.2)
        return sizes

    def fill(self, text):
        for k, v in self.placeholders.items():
            text = text.replace(k, v)
        return text

    def step(self, s):
        kind = s["do"]
        if kind == "seed":
            return self.seed(s)
        if kind == "run":
            return self.run(s)
        if kind == "stop":
            return self.stop(s["name"])
        if kind == "wait-output":
            return self.wait_output(s)
        if kind == "find-peers":
            return self.find_peers(s)
        if kind == "download":
            return self.download(s)
        if kind == "put-mutable":
            return self.put_mutable(s)
        if kind == "get-mutable":
            return self.get_mutable(s)
        if kind == "put-immutable":
            return self.put_immutable(s)
        if kind == "get-immutable":
            return self.get_immutable(s)
        if kind == "sleep":
            time.sleep(float(s["seconds"]))
            return {"ok": True}
        return {"ok": False, "error": "unknown step " + kind}

    def seed(self, s):
        ses = self.nodes[s.get("node", 0)]
        info = lt.torrent_info(s["torrent"])
        params = lt.add_torrent_params()
        params.ti = info
        params.save_path = s["data"]
        params.trackers = []
        params.url_seeds = []
        handle = ses.add_torrent(params)
        self.handles.append(handle)
        deadline = time.time() + float(s.get("timeout", 60))
        while time.time() < deadline:
            st = handle.status()
            if st.is_seeding:
                return {"ok": True, "info_hash": str(info.info_hashes().v1)}
            time.sleep(0.1)
        return {"ok": False, "error": "never seeding"}

    def run(self, s):
        name = s.get("name", "cmd")
        cmd = self.fill(s["cmd"])
        out = open(os.path.join(self.work, name + ".out"), "wb")
        proc = subprocess.Popen(["bash", "-c", cmd], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        if s.get("background"):
            self.procs[name] = (proc, out)
            return {"ok": True, "pid": proc.pid, "cmd": cmd}
        try:
            code = proc.wait(timeout=float(s.get("timeout", 120)))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            code = proc.wait()
            out.close()
            return {"ok": False, "error": "timed out", "output": tail(out.name)}
        out.close()
        return {"ok": code == 0, "exit_code": code, "output": tail(out.name), "cmd": cmd}

    def stop(self, name):
        if name not in self.procs:
            return {"ok": False, "error": "no such process"}
        proc, out = self.procs.pop(name)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        out.close()
        return {"ok": True, "exit_code": proc.returncode, "output": tail(out.name)}

    def wait_output(self, s):
        name = s["name"]
        if name not in self.procs:
            return {"ok": False, "error": "no such process"}
        proc, out = self.procs[name]
        start = time.time()
        deadline = start + float(s.get("timeout", 60))
        while True:
            out.flush()
            with open(out.name, "rb") as f:
                found = s["contains"].encode() in f.read()
            if found or proc.poll() is not None or time.time() >= deadline:
                break
            time.sleep(0.2)
        result = {"ok": found, "seconds": round(time.time() - start, 2), "output": tail(out.name)}
        if not found:
            result["error"] = "ended without it" if proc.poll() is not None else "timed out"
        return result

    def find_peers(self, s):
        ses = self.nodes[s.get("node", 0)]
        ih = lt.sha1_hash(bytes.fromhex(s["info_hash"]))
        expect = s.get("expect")
        deadline = time.time() + float(s.get("timeout", 30))
        seen = set()
        while time.time() < deadline:
            ses.dht_get_peers(ih)
            end = time.time() + 1.0
            while time.time() < end:
                ses.wait_for_alert(100)
                for a in drain(ses):
                    if isinstance(a, lt.dht_get_peers_reply_alert) and a.info_hash == ih:
                        for p in a.peers():
                            seen.add("%s:%d" % (p[0], p[1]))
            if expect is None and seen or any(p.startswith(expect + ":") for p in seen):
                return {"ok": True, "peers": sorted(seen)}
        return {"ok": False, "peers": sorted(seen)}

    def download(self, s):
        ses = self.nodes[s.get("node", len(self.nodes) - 1)]
        params = lt.parse_magnet_uri(s["magnet"])
        params.save_path = s["out"]
        params.trackers = []
        handle = ses.add_torrent(params)
        self.handles.append(handle)
        for peer in s.get("peers", []):
            host, port = peer.rsplit(":", 1)
            handle.connect_peer((host, int(port)))
        start = time.time()
        deadline = start + float(s.get("timeout", 60))
        events = []
        while time.time() < deadline:
            for a in drain(ses):
                # Peer comings and goings, for the report when the download fails.
                if isinstance(a, (lt.peer_connect_alert, lt.peer_disconnected_alert, lt.peer_error_alert, lt.incoming_connection_alert)):
                    events.append("%.2f %s" % (time.time() - start, a.message()))
            st = handle.status()
            if st.is_seeding:
                peers = sorted("%s:%d" % (p.ip[0], p.ip[1]) for p in handle.get_peer_info())
                return {"ok": True, "seconds": round(time.time() - start, 2), "peers": peers}
            time.sleep(0.1)
        st = handle.status()
        peers = ["%s:%d flags=%x source=%x" % (p.ip[0], p.ip[1], p.flags, p.source) for p in handle.get_peer_info()]
        return {"ok": False, "error": "timed out", "progress": st.progress, "num_peers": st.num_peers,
                "has_metadata": st.has_metadata, "peers": peers, "peer_events": events[-40:]}

    def put_mutable(self, s):
        ses = self.nodes[s.get("node", 0)]
        seed = bytes.fromhex(s["seed"])
        pub = public_key(seed)
        salt = s.get("salt", "").encode()
        value = to_entry(s["value"])
        # The binding takes (secret64, public32, value, salt); libtorrent reads the current item
        # first and puts with its sequence number + 1: the put alert reports the one used.
        ses.dht_put_mutable_item(expanded_secret(seed), pub, value, salt)
        return self.wait_put(ses, float(s.get("timeout", 20)), public=pub.hex())

    def wait_put(self, ses, timeout, **extra):
        deadline = time.time() + timeout
        while time.time() < deadline:
            ses.wait_for_alert(200)
            for a in drain(ses):
                if isinstance(a, lt.dht_put_alert):
                    result = {"ok": a.num_success > 0, "num_success": a.num_success, "seq": a.seq}
                    result.update(extra)
                    if a.target != lt.sha1_hash():
                        result["target"] = str(a.target)
                    return result
        result = {"ok": False, "error": "no put alert"}
        result.update(extra)
        return result

    def get_mutable(self, s):
        ses = self.nodes[s.get("node", 0)]
        pub = bytes.fromhex(s["public"]) if "public" in s else public_key(bytes.fromhex(s["seed"]))
        salt = s.get("salt", "").encode()
        ses.dht_get_mutable_item(pub, salt)
        deadline = time.time() + float(s.get("timeout", 20))
        best = None
        while time.time() < deadline:
            ses.wait_for_alert(200)
            for a in drain(ses):
                if isinstance(a, lt.dht_mutable_item_alert) and pub.hex() in a.message():
                    try:
                        value = item_value(a.item)
                    except Exception:  # pylint: disable=broad-except
                        if a.seq == 0:
                            continue  # an empty result: reading its item raises
                        # The binding cannot hand over a dictionary holding raw bytes (a BEP 46
                        # {ih}); the alert's message shows it, with the bytes in hex.
                        value = a.message()
                    best = {"ok": True, "seq": a.seq, "value": value, "salt": text(a.salt),
                            "authoritative": a.authoritative}
                    if a.authoritative:
                        return best
        return best or {"ok": False, "error": "no item"}

    def put_immutable(self, s):
        ses = self.nodes[s.get("node", 0)]
        target = ses.dht_put_immutable_item(to_entry(s["value"]))
        result = self.wait_put(ses, float(s.get("timeout", 20)))
        result["target"] = str(target)
        return result

    def get_immutable(self, s):
        ses = self.nodes[s.get("node", 0)]
        target = lt.sha1_hash(bytes.fromhex(s["target"]))
        ses.dht_get_immutable_item(target)
        deadline = time.time() + float(s.get("timeout", 20))
        while time.time() < deadline:
            ses.wait_for_alert(200)
            for a in drain(ses):
                if isinstance(a, lt.dht_immutable_item_alert) and a.target == target:
                    try:
                        return {"ok": True, "value": item_value(a.item)}
                    except RuntimeError:
                        return {"ok": False, "error": "empty item"}
        return {"ok": False, "error": "no item"}

    def close(self):
        for name in list(self.procs):
            self.stop(name)


def item_value(item):
    # The binding's alerts give {"value": ..., ...} dictionaries, not the bare value.
    if isinstance(item, dict) and ("value" in item or b"value" in item):
        return from_entry(item.get("value", item.get(b"value")))
    return from_entry(item)


def text(value):
    return value.decode("latin-1") if isinstance(value, bytes) else value


def tail(path, lines=40):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").splitlines()[-lines:]
    except OSError:
        return []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=8)
    parser.add_argument("--steps", required=True, help="a JSON file with a list of steps")
    parser.add_argument("--timeout", type=float, default=240)
    parser.add_argument("--work", default=".")
    args = parser.parse_args()

    signal.signal(signal.SIGALRM, lambda *_: (emit({"event": "done", "ok": False, "error": "timeout"}), os._exit(3)))
    signal.alarm(int(args.timeout))

    with open(args.steps) as f:
        steps = json.load(f)
    enter_private_network()
    runner = Runner(args.nodes, args.work)
    ok = True
    try:
        sizes = runner.mesh(10)
        meshed = all(n >= args.nodes - 1 for n in sizes)
        emit({"event": "meshed", "ok": meshed, "table_sizes": sizes})
        ok = meshed
        for i, s in enumerate(steps):
            if not ok:
                break
            try:
                result = runner.step(s)
            except Exception as e:  # a broken step is a failed run, reported like the others
                result = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
            result.update({"step": i, "do": s["do"]})
            emit(result)
            ok = ok and (result.get("ok", False) or s.get("may_fail", False))
    finally:
        runner.close()
    emit({"event": "done", "ok": ok})
    os._exit(0 if ok else 1)


if __name__ == "__main__":
    main()
