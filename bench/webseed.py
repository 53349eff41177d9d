#!/usr/bin/env python3
"""Web seed throughput benchmark (BEP 19): one nginx on 127.0.0.1, three HTTP clients.

Writes --size MiB of random data, serves it from nginx (sendfile on, the file in the page cache),
makes a v1 torrent whose only source is that web seed (url-list, no tracker, no peers), and times
in the same run, alternating round after round:
  curl       fetching the same bytes, to /dev/null and to a file on disk (the HTTP ceiling);
  libtorrent downloading the torrent from its url-list alone (tests/.../tools/lt_tool.py download);
  ours       `gdtorrent download --no-dht --no-lsd` from the web seed alone.
Reports MB/s (from each client's start to its exit: start-up included for all three), ratios
(ours / curl to disk, ours / libtorrent) and CPU seconds per GiB of each client (wait4 of the
child) and of nginx (its worker's /proc counters over the same transfer). Every download is
compared with the source by SHA-256. Nothing asserts a time: this is a measurement.

Usage: /usr/bin/python3 bench/webseed.py [--size MiB] [--piece-size KiB] [--runs N] [--dir DIR]
                                        [--clients curl,lt,gt] [--skip-build] [--timeout S]
                                        [--baseline DLL]  (adds client gt-base: another gdtorrent.dll, e.g. main's
                                                           build copied aside, alternated with gt round by round)
                                        [--native FILE]  (adds client gt-native: a native AOT gdtorrent)
(Debian's python3, which has the libtorrent module; ./scripts/install-deps.sh installs it and nginx.)
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import swarm  # noqa: E402  (paths, log, wait4 of a child, SHA-256 of a file: one copy for every bench script)

ROOT, LT_TOOL, GT_DLL, log, sha256 = swarm.ROOT, swarm.LT_TOOL, swarm.GT_DLL, swarm.log, swarm.sha256
TIMEOUT = 300
NAME = "content.bin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """nginx in its own prefix folder, as tests/GodotTorrent.Interop/Harness/NginxServer.cs starts it."""

    def __init__(self, prefix, root):
        self.prefix = prefix
        self.port = free_port()
        os.makedirs(os.path.join(prefix, "temp"), exist_ok=True)
        temps = "".join(f"    {t}_temp_path {prefix}/temp/{t};\n" for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf = (
            "daemon off;\nworker_processes 1;\n"
            f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
            "events { worker_connections 512; }\n"
            "http {\n    default_type application/octet-stream;\n    sendfile on;\n    tcp_nopush on;\n"
            "    keepalive_requests 100000;\n" + temps
            + "    log_format ranges '$request_method $status \"$http_range\" $body_bytes_sent';\n"
            f"    access_log {prefix}/access.log ranges;\n"
            f"    server {{ listen 127.0.0.1:{self.port}; root {root}; }}\n}}\n")
        with open(os.path.join(prefix, "nginx.conf"), "w") as f:
            f.write(conf)
        self.process = subprocess.Popen(["nginx", "-p", prefix + "/", "-c", os.path.join(prefix, "nginx.conf"), "-e", os.path.join(prefix, "error.log")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start: " + (self.process.stderr.read() if self.process.poll() is not None else "timeout"))
                time.sleep(0.05)

    def cpu_seconds(self):
        """CPU seconds of nginx's master and workers so far (utime + stime from /proc)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # fields[1] is the ppid (field 4 of stat); utime and stime are fields 14 and 15.
            if int(pid) == self.process.pid or int(fields[1]) == self.process.pid:
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def requests(self):
        with open(os.path.join(self.prefix, "access.log")) as f:
            return f.read().splitlines()

    def stop(self):
        # Killing the master alone orphans its workers: kill them too, by PID.
        try:
            with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as f:
                workers = [int(p) for p in f.read().split()]
        except OSError:
            workers = []
        for pid in [self.process.pid] + workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(10)


BASELINE = None
NATIVE = None


def commands(client, url, torrent, out):
    """The command of each client, and the file it writes (None: nothing to check)."""
    if client == "curl-null":
        return ["curl", "-sS", "--fail", "-o", "/dev/null", url], None
    if client == "curl":
        return ["curl", "-sS", "--fail", "-o", os.path.join(out, NAME), url], os.path.join(out, NAME)
    if client == "lt":
        return ["/usr/bin/python3", LT_TOOL, "download", "--torrent", torrent, "--out", out, "--port", "0", "--timeout", str(TIMEOUT)], os.path.join(out, NAME)
    program = [NATIVE] if client == "gt-native" else ["dotnet", BASELINE if client == "gt-base" else GT_DLL]
    return program + ["download", "--no-dht", "--no-lsd", torrent, "--out", out, "--listen", "127.0.0.1", "--port", "0",
            "--json", "--timeout", str(TIMEOUT)], os.path.join(out, NAME)


def run_client(client, nginx, url, torrent, work, expected):
    out = os.path.join(work, "out-" + client)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    command, written = commands(client, url, torrent, out)
    requests_before = len(nginx.requests())
    # The previous client's gigabyte is still being written back (or freed, after its folder was
    # removed): settle it outside the clock, or whoever runs next pays for it (4.7 against 4.2 s
    # for the same build, by position alone).
    os.sync()
    nginx_before = nginx.cpu_seconds()
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    code, cpu, _ = swarm.wait_rusage(process, TIMEOUT + 30)
    elapsed = time.monotonic() - start
    nginx_cpu = nginx.cpu_seconds() - nginx_before
    error = process.stderr.read().decode(errors="replace").strip()[-300:]
    ok = code == 0 and (written is None or sha256(written) == expected)
    shutil.rmtree(out, ignore_errors=True)
    return {"ok": ok, "code": code, "seconds": elapsed, "cpu": cpu, "nginx_cpu": nginx_cpu,
            "requests": len(nginx.requests()) - requests_before, "error": "" if ok else error}


def main():
    global TIMEOUT, BASELINE, NATIVE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1024, help="MiB of data (default 1024)")
    parser.add_argument("--piece-size", type=int, default=1024, help="KiB per piece (default 1024)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each client; the best is reported")
    parser.add_argument("--dir", default=None, help="work folder (default: a temporary folder under /tmp)")
    parser.add_argument("--clients", default="curl-null,curl,lt,gt", help="of curl-null, curl, lt, gt (default all)")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--timeout", type=int, default=TIMEOUT, help="seconds before a download counts as failed (default 300)")
    parser.add_argument("--baseline", default=None, help="another gdtorrent.dll to time as client gt-base (before/after)")
    parser.add_argument("--native", default=None,
                        help="a native AOT gdtorrent (dotnet publish src/GodotTorrent.Cli -c Release -r linux-x64 -p:PublishAot=true -o DIR) "
                             "to time as client gt-native: no JIT at start or in the background")
    args = parser.parse_args()
    TIMEOUT = args.timeout
    clients = args.clients.split(",")
    if args.baseline:
        BASELINE = os.path.abspath(args.baseline)
        if "gt-base" not in clients:
            clients.append("gt-base")
    if args.native:
        NATIVE = os.path.abspath(args.native)
        if "gt-native" not in clients:
            clients.append("gt-native")

    if not args.skip_build and "gt" in clients:
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "GodotTorrent.Cli"), "-c", "Release", "-nologo", "-v", "q"], check=True)
    work = tempfile.mkdtemp(prefix="gt-webseed-bench-", dir=args.dir)
    # nginx's workers run as nobody: the served folder and its parents must let them in.
    os.chmod(work, 0o755)
    nginx = None
    try:
        size = args.size << 20
        www = os.path.join(work, "www")
        os.makedirs(www, mode=0o755)
        log(f"writing {args.size} MiB of random data (and warming the page cache)")
        path = os.path.join(www, NAME)
        warm = os.path.join(work, "warm-up.bin")
        for target in (warm, path):
            with open(target, "wb") as f:
                remaining = size
                while remaining > 0:
                    chunk = os.urandom(min(remaining, 1 << 22))
                    f.write(chunk)
                    remaining -= len(chunk)
        os.remove(warm)
        os.chmod(path, 0o644)
        expected = sha256(path)

        nginx = Nginx(os.path.join(work, "nginx"), www)
        url = f"http://127.0.0.1:{nginx.port}/{NAME}"
        torrent = os.path.join(work, "bench.torrent")
        subprocess.run(["/usr/bin/python3", LT_TOOL, "create", "--path", path, "--out", torrent, "--v1",
                        "--piece-size", str(args.piece_size * 1024), "--no-date", "--web-seed", url], check=True, stdout=subprocess.DEVNULL)

        results = {}
        for round_number in range(args.runs):
            for client in clients:
                log(f"round {round_number + 1}: {client} ...")
                r = run_client(client, nginx, url, torrent, work, expected)
                log(f"  {r['seconds']:.2f} s, CPU {r['cpu']:.2f} s, {r['requests']} requests, load average {os.getloadavg()[0]:.1f}" if r["ok"]
                    else f"  failed (exit {r['code']}): {r['error']}")
                best = results.get(client)
                if best is None or (r["ok"] and (not best["ok"] or r["seconds"] < best["seconds"])):
                    results[client] = r

        names = {"curl-null": "curl to /dev/null", "curl": "curl to disk", "lt": "libtorrent (url-list only)", "gt": "Godot-Torrent (web seed only)",
                 "gt-base": "Godot-Torrent, baseline build", "gt-native": "Godot-Torrent, native AOT build"}
        gib = size / (1 << 30)
        mbps = {c: size / r["seconds"] / 1e6 for c, r in results.items()}
        print(f"Data: {args.size} MiB in one file, pieces of {args.piece_size} KiB, served by nginx on 127.0.0.1 (sendfile, page cache); "
              f"best of {args.runs} alternated run(s); {os.cpu_count()} cores; load average now {os.getloadavg()[0]:.1f}")
        print()
        print("| client | ok | MB/s | x curl to disk | x libtorrent | CPU s/GiB | nginx CPU s/GiB | HTTP requests |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for client, r in results.items():
            x_curl = f"{mbps[client] / mbps['curl']:.2f}" if "curl" in mbps else "-"
            x_lt = f"{mbps[client] / mbps['lt']:.2f}" if "lt" in mbps and client in ("gt", "gt-base", "gt-native", "lt") else "-"
            print(f"| {names[client]} | {'yes' if r['ok'] else 'NO'} | {mbps[client]:.0f} | {x_curl} | {x_lt} | "
                  f"{r['cpu'] / gib:.2f} | {r['nginx_cpu'] / gib:.2f} | {r['requests']} |")
        for client, label in (("gt", "Godot-Torrent from the web seed"), ("gt-native", "The native build")):
            if client not in results or not results[client]["ok"]:
                continue
            parts = []
            if "curl" in mbps:
                parts.append(f"{mbps[client] / mbps['curl']:.2f}x curl to disk (target >= 0.8)")
            if "lt" in mbps:
                parts.append(f"{mbps[client] / mbps['lt']:.2f}x libtorrent (target >= 1.0)")
                parts.append(f"CPU per GiB {results[client]['cpu'] / max(results['lt']['cpu'], 1e-9):.2f}x libtorrent's")
            print()
            print(f"{label}: " + ", ".join(parts))
        return 0 if all(r["ok"] for r in results.values()) else 1
    finally:
        if nginx:
            nginx.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
