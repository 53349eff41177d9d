#!/usr/bin/env python3
"""Swarm throughput benchmark: one seeder to one downloader over 127.0.0.1.

Runs the same torrent four ways -- Godot-Torrent to Godot-Torrent, libtorrent to libtorrent,
libtorrent to Godot-Torrent and Godot-Torrent to libtorrent -- each side its own process, and
reports MB/s, CPU seconds and peak RSS of each side, with ratios to libtorrent-to-libtorrent
measured in the same run, next to this machine's limits (SHA-1, loopback TCP, disk writes).

Usage: /usr/bin/python3 bench/swarm.py [--size MiB] [--piece-size KiB] [--runs N] [--dir DIR]
                                      [--encryption plain|rc4|both]
(Debian's python3, which has the libtorrent module; ./scripts/install-deps.sh installs it.)

--encryption rc4 runs the four pairs with MSE/PE forced (libtorrent: forced RC4; gdtorrent:
--encryption forced), "both" runs the plaintext rows and then the RC4 rows; each row's ratios
are to libtorrent-to-libtorrent of the same kind. gdtorrent's forced allows only RC4 too, so
every encrypted row is RC4. The "lt saw" column is libtorrent's own view of
the connection (peer_info flags) when one side is libtorrent.
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


def gt(*args):
    return ["dotnet", GT_DLL, *args]


def lt(*args):
    return ["/usr/bin/python3", LT_TOOL, *args]


# Encryption modes: the extra arguments of each client. gdtorrent's --encryption forced and
# libtorrent's forced RC4 both make MSE compulsory both ways and allow nothing but RC4.
ENCRYPTION_ARGS = {
    "plain": {"gt": [], "lt": []},
    "rc4": {"gt": ["--encryption", "forced"], "lt": ["--enc-policy", "forced", "--enc-level", "rc4", "--prefer-rc4"]},
}


def seeder_command(kind, torrent, data, encryption="plain"):
    extra = ENCRYPTION_ARGS[encryption][kind]
    if kind == "gt":
        return gt("seed", torrent, "--data", data, "--listen", "127.0.0.1", "--port", "0", "--json", "--timeout", str(TIMEOUT), *extra)
    return lt("seed", "--torrent", torrent, "--data", data, "--port", "0", "--timeout", str(TIMEOUT), *extra)


def downloader_command(kind, torrent, out, port, encryption="plain"):
    peer = f"127.0.0.1:{port}"
    extra = ENCRYPTION_ARGS[encryption][kind]
    if kind == "gt":
        return gt("download", torrent, "--out", out, "--peer", peer, "--listen", "127.0.0.1", "--port", "0", "--json", "--timeout", str(TIMEOUT), *extra)
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


def run_pair(seeder, downloader, torrent, data_dir, work, name, encryption="plain"):
    out = os.path.join(work, f"out-{seeder}-{downloader}")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    seed = subprocess.Popen(seeder_command(seeder, torrent, data_dir, encryption), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    down_state = {}
    try:
        port, seed_state = read_port(seed)
        start = time.monotonic()
        # Only lt_tool's output is read (for its view of the encryption); gdtorrent's is dropped.
        down = subprocess.Popen(downloader_command(downloader, torrent, out, port, encryption),
                                stdout=subprocess.PIPE if downloader == "lt" else subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        if downloader == "lt":
            threading.Thread(target=read_lines, args=(down, down_state), daemon=True).start()
        code, down_cpu, down_rss = wait_rusage(down, TIMEOUT)
        elapsed = time.monotonic() - start
    finally:
        seed.send_signal(signal.SIGINT)
        try:
            seed.wait(0)
        except subprocess.TimeoutExpired:
            pass
        _, seed_cpu, seed_rss = wait_rusage(seed, 15)
    ok = code == 0 and sha256(os.path.join(out, name)) == sha256(os.path.join(data_dir, name))
    shutil.rmtree(out, ignore_errors=True)
    seen = down_state.get("encryption") or seed_state.get("encryption") or []
    return {"ok": ok, "seconds": elapsed, "down_cpu": down_cpu, "down_rss": down_rss, "seed_cpu": seed_cpu, "seed_rss": seed_rss,
            "lt_saw": "/".join(seen) if seen else ("n/a" if "lt" not in (seeder, downloader) else "?")}


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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1024, help="MiB of data (default 1024)")
    parser.add_argument("--piece-size", type=int, default=1024, help="KiB per piece (default 1024)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each pair; the best is reported")
    parser.add_argument("--dir", default=None, help="work folder (default: a temporary folder)")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--encryption", choices=["plain", "rc4", "both"], default="plain",
                        help="plain (default), rc4 (MSE forced, RC4 only) or both")
    args = parser.parse_args()
    modes = ["plain", "rc4"] if args.encryption == "both" else [args.encryption]

    if not args.skip_build:
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "GodotTorrent.Cli"), "-c", "Release", "-nologo", "-v", "q"], check=True)
    work = tempfile.mkdtemp(prefix="gt-swarm-bench-", dir=args.dir)
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
        for mode in modes:
            for seeder, downloader in [("gt", "gt"), ("lt", "lt"), ("lt", "gt"), ("gt", "lt")]:
                best = None
                for _ in range(args.runs):
                    log(f"{seeder} -> {downloader} ({mode}) ...")
                    result = run_pair(seeder, downloader, torrent, data_dir, work, name, mode)
                    if not result["ok"]:
                        log(f"  failed: {result}")
                    if best is None or (result["ok"] and result["seconds"] < best["seconds"]):
                        best = result
                results[(mode, seeder, downloader)] = best

        names = {"gt": "Godot-Torrent", "lt": "libtorrent"}
        gib = size / (1 << 30)
        print(f"Data: {args.size} MiB, pieces of {args.piece_size} KiB, best of {args.runs} run(s); {os.cpu_count()} cores")
        print(f"Machine limits measured in this run: SHA-1 {limits['sha1_one_core_MBps']:.0f} MB/s on one core, "
              f"loopback TCP {limits['loopback_tcp_MBps']:.0f} MB/s (one Python stream), disk writes {limits['disk_write_MBps']:.0f} MB/s")
        print()
        print("| seeder -> downloader | ok | MB/s | x lt->lt | downloader CPU s/GiB | x lt->lt | seeder CPU s/GiB | downloader peak RSS MB | seeder peak RSS MB | lt saw |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for (mode, seeder, downloader), r in results.items():
            base = results[(mode, "lt", "lt")]
            label = "" if mode == "plain" else " (RC4 forced)"
            mbps = size / r["seconds"] / 1e6
            base_mbps = size / base["seconds"] / 1e6
            cpu = r["down_cpu"] / gib
            base_cpu = base["down_cpu"] / gib
            print(f"| {names[seeder]} -> {names[downloader]}{label} | {'yes' if r['ok'] else 'NO'} | {mbps:.0f} | {mbps / base_mbps:.2f} | "
                  f"{cpu:.2f} | {cpu / base_cpu:.2f} | {r['seed_cpu'] / gib:.2f} | {r['down_rss']:.0f} | {r['seed_rss']:.0f} | {r['lt_saw']} |")
        return 0 if all(r["ok"] for r in results.values()) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
