#!/usr/bin/env python3
"""Swarm throughput benchmark: one seeder to one downloader over 127.0.0.1.

Runs the same torrent four ways -- Godot-Torrent to Godot-Torrent, libtorrent to libtorrent,
libtorrent to Godot-Torrent and Godot-Torrent to libtorrent -- each side its own process, and
reports MB/s, CPU seconds and peak RSS of each side, with ratios to libtorrent-to-libtorrent
measured in the same run, next to this machine's limits (SHA-1, loopback TCP, disk writes).

Usage: /usr/bin/python3 bench/swarm.py [--size MiB] [--piece-size KiB] [--runs N] [--dir DIR]
                                      [--encryption plain|rc4|both] [--transport tcp|utp]
                                      [--native FILE]  (ours as a native gdtorrent: scripts/publish-native.sh)
(Debian's python3, which has the libtorrent module; ./scripts/install-deps.sh installs it.)

--encryption rc4 runs the four pairs with MSE/PE forced (libtorrent: forced RC4; gdtorrent:
--encryption forced), "both" runs the plaintext rows and then the RC4 rows; each row's ratios
are to libtorrent-to-libtorrent of the same kind. gdtorrent's forced allows only RC4 too, so
every encrypted row is RC4. The "lt saw" column is libtorrent's own view of
the connection (peer_info flags: its encryption and its transport) when one side is libtorrent.

--transport utp (issue 13) runs the four pairs over uTP only (gdtorrent --transport utp;
lt_tool --transport utp, which gives libtorrent 1 MiB UDP socket buffers: its tuned figure),
plus Godot-Torrent to Godot-Torrent over TCP as the reference for our CPU per GiB. Run as root,
the pairs run in a private network namespace (only its loopback), so the "UDP drops" column,
the delta of `nstat -az UdpRcvbufErrors` over each transfer, counts that transfer's receive-buffer
overflows and no one else's. Runs alternate between the pairs (round after round); the best of
each pair is reported.
"""
import argparse
import hashlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LT_TOOL = os.path.join(ROOT, "tests", "GodotTorrent.Interop", "tools", "lt_tool.py")
GT_DLL = os.path.join(ROOT, "src", "GodotTorrent.Cli", "bin", "Release", "net8.0", "gdtorrent.dll")
TIMEOUT = 600


def log(message):
    print(message, file=sys.stderr, flush=True)


NATIVE = None


def gt(*args):
    return [NATIVE, *args] if NATIVE else ["dotnet", GT_DLL, *args]


def lt(*args):
    return ["/usr/bin/python3", LT_TOOL, *args]


# Encryption modes: the extra arguments of each client. gdtorrent's --encryption forced and
# libtorrent's forced RC4 both make MSE compulsory both ways and allow nothing but RC4.
ENCRYPTION_ARGS = {
    "plain": {"gt": [], "lt": []},
    "rc4": {"gt": ["--encryption", "forced"], "lt": ["--enc-policy", "forced", "--enc-level", "rc4", "--prefer-rc4"]},
}


def seeder_command(kind, torrent, data, encryption="plain", transport="tcp"):
    extra = [*ENCRYPTION_ARGS[encryption][kind], "--transport", transport]
    if kind == "gt":
        return gt("seed", "--no-dht", "--no-lsd", torrent, "--data", data, "--listen", "127.0.0.1", "--port", "0", "--json", "--timeout", str(TIMEOUT + 60), *extra)
    return lt("seed", "--torrent", torrent, "--data", data, "--port", "0", "--timeout", str(TIMEOUT + 60), *extra)


def downloader_command(kind, torrent, out, port, encryption="plain", transport="tcp"):
    peer = f"127.0.0.1:{port}"
    extra = [*ENCRYPTION_ARGS[encryption][kind], "--transport", transport]
    if kind == "gt":
        return gt("download", "--no-dht", "--no-lsd", torrent, "--out", out, "--peer", peer, "--listen", "127.0.0.1", "--port", "0", "--json", "--timeout", str(TIMEOUT), *extra)
    return lt("download", "--torrent", torrent, "--out", out, "--peer", peer, "--port", "0", "--timeout", str(TIMEOUT), *extra)


def wait_rusage(process, timeout):
    """Waits for a child and returns (exit code, CPU seconds, peak RSS in MB) from wait4."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid == process.pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0
        if time.monotonic() > deadline:
            process.kill()
            timeout = 10
            deadline = time.monotonic() + timeout
        time.sleep(0.01)


def read_lines(process, state):
    """Keeps the latest "encryption_seen" of lt_tool's JSON lines (libtorrent's view of its peers)."""
    for line in process.stdout:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("encryption_seen"):
            state["encryption"] = event["encryption_seen"]
        if event.get("transports_seen"):
            state["transports"] = event["transports_seen"]


def read_port(process, timeout=120):
    """Reads the seeder's JSON lines until it has reported its port and that it is seeding."""
    deadline = time.monotonic() + timeout
    state = {}

    def reader():
        for line in process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "listening" and event.get("port"):
                state["port"] = event["port"]
            # libtorrent's tool says "seeding"; gdtorrent's status lines carry "state": "seeding".
            if event.get("event") == "seeding" or event.get("state") == "seeding":
                state["seeding"] = True
            if event.get("encryption_seen"):
                state["encryption"] = event["encryption_seen"]
            if event.get("transports_seen"):
                state["transports"] = event["transports_seen"]

    threading.Thread(target=reader, daemon=True).start()
    while time.monotonic() < deadline:
        if state.get("port") and state.get("seeding"):
            return state["port"], state
        if process.poll() is not None:
            break
        time.sleep(0.02)
    raise RuntimeError(f"seeder did not start: {' '.join(process.args)}")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def udp_receive_buffer_errors(netns):
    """UdpRcvbufErrors now (nstat reads the namespace's /proc/net/snmp; -s leaves its history alone)."""
    command = ["nstat", "-asz", "UdpRcvbufErrors"]
    out = subprocess.run(in_netns(netns, command), capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("UdpRcvbufErrors"):
            return int(line.split()[1])
    return 0


def in_netns(netns, command):
    return ["ip", "netns", "exec", netns, *command] if netns else command


def run_pair(seeder, downloader, torrent, data_dir, work, name, encryption="plain", transport="tcp", netns=None):
    out = os.path.join(work, f"out-{seeder}-{downloader}")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    # "ip netns exec" execs the command itself, so the PID and wait4's usage are the client's.
    seed = subprocess.Popen(in_netns(netns, seeder_command(seeder, torrent, data_dir, encryption, transport)),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    down_state = {}
    try:
        port, seed_state = read_port(seed)
        drops_before = udp_receive_buffer_errors(netns)
        start = time.monotonic()
        # Only lt_tool's output is read (for its view of the encryption); gdtorrent's is dropped.
        down = subprocess.Popen(in_netns(netns, downloader_command(downloader, torrent, out, port, encryption, transport)),
                                stdout=subprocess.PIPE if downloader == "lt" else subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        if downloader == "lt":
            threading.Thread(target=read_lines, args=(down, down_state), daemon=True).start()
        code, down_cpu, down_rss = wait_rusage(down, TIMEOUT)
        elapsed = time.monotonic() - start
        udp_drops = udp_receive_buffer_errors(netns) - drops_before
    finally:
        # os.kill, not Popen.send_signal or wait: those reap a seeder that has already exited,
        # and wait4 would then find no usage to report.
        os.kill(seed.pid, signal.SIGINT)
        _, seed_cpu, seed_rss = wait_rusage(seed, 15)
    ok = code == 0 and sha256(os.path.join(out, name)) == sha256(os.path.join(data_dir, name))
    shutil.rmtree(out, ignore_errors=True)
    seen = down_state.get("encryption") or seed_state.get("encryption") or []
    # lt_tool's view of the transport too (tcp, utp), next to the encryption.
    seen = seen + (down_state.get("transports") or seed_state.get("transports") or [])
    return {"ok": ok, "seconds": elapsed, "down_cpu": down_cpu, "down_rss": down_rss, "seed_cpu": seed_cpu, "seed_rss": seed_rss,
            "lt_saw": "/".join(seen) if seen else ("n/a" if "lt" not in (seeder, downloader) else "?"), "udp_drops": udp_drops}


def sha1_speed():
    out = subprocess.run(["openssl", "speed", "-evp", "sha1", "-bytes", "16384", "-seconds", "2"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("sha1") or line.startswith("SHA1"):
            value = line.split()[-1].rstrip("k")
            return float(value) * 1000 / 1e6
    return float("nan")


def loopback_speed(total=1 << 30):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    received = [0]

    def sink():
        conn, _ = server.accept()
        with conn:
            while True:
                chunk = conn.recv(1 << 20)
                if not chunk:
                    break
                received[0] += len(chunk)

    thread = threading.Thread(target=sink)
    thread.start()
    block = b"\0" * (1 << 20)
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as client:
        sent = 0
        while sent < total:
            client.sendall(block)
            sent += len(block)
    thread.join()
    server.close()
    return received[0] / (time.monotonic() - start) / 1e6


def write_speed(folder, size):
    path = os.path.join(folder, "write-test.bin")
    block = os.urandom(1 << 22)
    start = time.monotonic()
    with open(path, "wb") as f:
        for _ in range(size // len(block)):
            f.write(block)
        f.flush()
        os.fsync(f.fileno())
    seconds = time.monotonic() - start
    os.remove(path)
    return size / seconds / 1e6


def main():
    global TIMEOUT, GT_DLL, NATIVE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1024, help="MiB of data (default 1024)")
    parser.add_argument("--piece-size", type=int, default=1024, help="KiB per piece (default 1024)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each pair; the best is reported")
    parser.add_argument("--dir", default=None, help="work folder (default: a temporary folder)")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--gt-dll", default=None,
                        help="gdtorrent.dll to run (default: this checkout's Release build; an older build's copy for before/after pairs, with --skip-build)")
    parser.add_argument("--native", default=None,
                        help="run ours as this native gdtorrent instead (scripts/publish-native.sh), with --skip-build")
    parser.add_argument("--encryption", choices=["plain", "rc4", "both"], default="plain",
                        help="plain (default), rc4 (MSE forced, RC4 only) or both")
    parser.add_argument("--transport", choices=["tcp", "utp"], default="tcp",
                        help="tcp (default) or utp: the four pairs over uTP only, plus ours to ours over TCP")
    parser.add_argument("--timeout", type=int, default=TIMEOUT, help="seconds before a download counts as failed (default 600)")
    parser.add_argument("--pairs", default="gt-gt,lt-lt,lt-gt,gt-lt",
                        help="seeder-downloader pairs to run, of gt and lt (default all four)")
    args = parser.parse_args()
    TIMEOUT = args.timeout
    if args.gt_dll:
        GT_DLL = os.path.abspath(args.gt_dll)
    if args.native:
        NATIVE = os.path.abspath(args.native)
    modes = ["plain", "rc4"] if args.encryption == "both" else [args.encryption]
    pairs = [tuple(pair.split("-")) for pair in args.pairs.split(",")]
    # (seeder, downloader, transport) in the order of the table.
    runs = [(seeder, downloader, args.transport) for seeder, downloader in pairs]
    if args.transport == "utp" and ("gt", "gt") in pairs:
        runs.append(("gt", "gt", "tcp"))

    if not args.skip_build:
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "GodotTorrent.Cli"), "-c", "Release", "-nologo", "-v", "q"], check=True)
    work = tempfile.mkdtemp(prefix="gt-swarm-bench-", dir=args.dir)
    netns = None
    if args.transport == "utp" and os.geteuid() == 0:
        netns = f"gt-swarm-bench-{os.getpid()}"
        subprocess.run(["ip", "netns", "add", netns], check=True)
        subprocess.run(["ip", "-n", netns, "link", "set", "lo", "up"], check=True)
    try:
        size = args.size << 20
        data_dir = os.path.join(work, "data")
        os.makedirs(data_dir)
        name = "content.bin"
        log(f"writing {args.size} MiB of random data (and warming the page cache)")
        write_speed(work, min(size, 1 << 30))
        with open(os.path.join(data_dir, name), "wb") as f:
            remaining = size
            while remaining > 0:
                chunk = os.urandom(min(remaining, 1 << 22))
                f.write(chunk)
                remaining -= len(chunk)
        torrent = os.path.join(work, "bench.torrent")
        subprocess.run(lt("create", "--path", os.path.join(data_dir, name), "--out", torrent, "--v1",
                          "--piece-size", str(args.piece_size * 1024), "--no-date"), check=True, stdout=subprocess.DEVNULL)

        limits = {"sha1_one_core_MBps": sha1_speed(), "loopback_tcp_MBps": loopback_speed(), "disk_write_MBps": write_speed(work, min(size, 1 << 30))}
        results = {}
        for round_number in range(args.runs):
            for mode in modes:
                for seeder, downloader, transport in runs:
                    log(f"round {round_number + 1}: {seeder} -> {downloader} ({mode}, {transport}) ...")
                    result = run_pair(seeder, downloader, torrent, data_dir, work, name, mode, transport, netns)
                    log(f"  {result['seconds']:.2f} s, {result['udp_drops']} UDP receive-buffer drops" if result["ok"] else f"  failed: {result}")
                    best = results.get((mode, seeder, downloader, transport))
                    if best is None or (result["ok"] and (not best["ok"] or result["seconds"] < best["seconds"])):
                        results[(mode, seeder, downloader, transport)] = result

        names = {"gt": "Godot-Torrent", "lt": "libtorrent"}
        gib = size / (1 << 30)
        print(f"Data: {args.size} MiB, pieces of {args.piece_size} KiB, best of {args.runs} alternated run(s); {os.cpu_count()} cores"
              + (f"; in the private network namespace {netns}" if netns else ""))
        print(f"Machine limits measured in this run: SHA-1 {limits['sha1_one_core_MBps']:.0f} MB/s on one core, "
              f"loopback TCP {limits['loopback_tcp_MBps']:.0f} MB/s (one Python stream), disk writes {limits['disk_write_MBps']:.0f} MB/s")
        print()
        print("| seeder -> downloader | ok | MB/s | x lt->lt | downloader CPU s/GiB | x lt->lt | seeder CPU s/GiB | downloader peak RSS MB | seeder peak RSS MB | lt saw | UDP drops |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
        for (mode, seeder, downloader, transport), r in results.items():
            # Ratios are to libtorrent to libtorrent of the same kind (the TCP reference row of a uTP run included).
            base = results.get((mode, "lt", "lt", transport)) or results.get((mode, "lt", "lt", args.transport)) or r
            label = ("" if mode == "plain" else " (RC4 forced)") + ("" if args.transport == "tcp" else f", {transport}")
            mbps = size / r["seconds"] / 1e6
            base_mbps = size / base["seconds"] / 1e6
            cpu = r["down_cpu"] / gib
            base_cpu = base["down_cpu"] / gib
            print(f"| {names[seeder]} -> {names[downloader]}{label} | {'yes' if r['ok'] else 'NO'} | {mbps:.0f} | {mbps / base_mbps:.2f} | "
                  f"{cpu:.2f} | {cpu / base_cpu:.2f} | {r['seed_cpu'] / gib:.2f} | {r['down_rss']:.0f} | {r['seed_rss']:.0f} | {r['lt_saw']} | {r['udp_drops']} |")
        if args.transport == "utp" and {("gt", "gt"), ("lt", "lt")} <= set(pairs):
            for mode in modes:
                utp, tcp = results[(mode, "gt", "gt", "utp")], results[(mode, "gt", "gt", "tcp")]
                lt_utp = results[(mode, "lt", "lt", "utp")]
                print()
                print(f"Godot-Torrent to Godot-Torrent over uTP{'' if mode == 'plain' else ' (RC4 forced)'}: "
                      f"{lt_utp['seconds'] / utp['seconds']:.2f}x libtorrent's uTP throughput (target >= 1.2); "
                      f"CPU per GiB {utp['down_cpu'] / tcp['down_cpu']:.2f}x our TCP's downloading, "
                      f"{utp['seed_cpu'] / tcp['seed_cpu']:.2f}x seeding (target <= 1.5); "
                      f"{utp['udp_drops']} UDP receive-buffer drops (target 0)")
        return 0 if all(r["ok"] for r in results.values()) else 1
    finally:
        if netns:
            subprocess.run(["ip", "netns", "del", netns], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
