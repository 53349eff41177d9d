#!/usr/bin/env python3
"""`gdtorrent seedbox` with many torrents, as a studio's seed server runs it (issue 19's 1,000-torrent row).

Makes N small torrents (one file each) in a folder, lets `seedbox` hash them once (its state folder
then holds each torrent's resume data), stops it, and starts it again the way a server restarts:
the time until every torrent is added (its JSON `added` events), then, with nothing to do, the
process' CPU as a share of one core per window and its resident memory. DHT and LSD are on
("discovery on"), inside a private network namespace with only loopback, so nothing leaves the
machine; they find no one.

Usage: /usr/bin/python3 bench/seedbox_scale.py [--torrents N] [--idle-seconds S] [--window S]
                                              [--native FILE]  (also time a native gdtorrent on the same
                                                                folder, after the JIT build; it also creates the torrents)
Needs `unshare -n` (root, or a user namespace).
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GT_DLL = os.path.join(ROOT, "src", "GodotTorrent.Cli", "bin", "Release", "net8.0", "gdtorrent.dll")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid, key="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torrents", type=int, default=1000)
    parser.add_argument("--idle-seconds", type=int, default=60)
    parser.add_argument("--window", type=int, default=15)
    parser.add_argument("--native", default=None)
    args = parser.parse_args()
    jit = ["dotnet", GT_DLL]
    native = [os.path.abspath(args.native)] if args.native else None

    work = tempfile.mkdtemp(prefix="gt-seedbox-scale-")
    box = os.path.join(work, "box")
    os.makedirs(box)
    try:
        for i in range(args.torrents):
            with open(os.path.join(box, f"t{i:04}.bin"), "wb") as f:
                f.write(os.urandom(64 * 1024 + i))
        # One `create` per file: N process starts, which the native build makes short.
        started = time.monotonic()
        for i in range(args.torrents):
            subprocess.run((native or jit) + ["create", os.path.join(box, f"t{i:04}.bin"), "-o", os.path.join(box, f"t{i:04}.torrent"), "--piece-size", "16K"],
                           check=True, stdout=subprocess.DEVNULL)
        print(f"created {args.torrents} torrents in {time.monotonic() - started:.1f} s", file=sys.stderr)

        def run(gt, measure):
            inner = " ".join(["'" + a + "'" for a in gt + ["seedbox", box, "--json", "--listen", "127.0.0.1", "--no-port-mapping", "--poll", "5"]])
            command = ["unshare", "-n", "bash", "-c", f"ip link set lo up; exec {inner}"]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
            start = time.monotonic()
            added = 0
            first_added_at = all_added_at = None
            for line in process.stdout:
                event = json.loads(line)
                if event.get("event") == "added":
                    added += 1
                    first_added_at = first_added_at or time.monotonic() - start
                    if added == args.torrents:
                        all_added_at = time.monotonic() - start
                        break
            # bash exec'd gdtorrent (dotnet exec's the host too): the child is the process itself.
            pid = process.pid
            result = {"all_added_s": all_added_at, "first_added_s": first_added_at, "windows": []}
            if measure:
                cpu = cpu_seconds(pid)
                for _ in range(args.idle_seconds // args.window):
                    time.sleep(args.window)
                    now = cpu_seconds(pid)
                    result["windows"].append((now - cpu) / args.window * 100)
                    cpu = now
                result["rss_mb"] = rss_mb(pid)
                result["peak_rss_mb"] = rss_mb(pid, "VmHWM")
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            return result

        first = run(jit, measure=False)
        print(f"first start (hashing every torrent): all {args.torrents} added after {first['all_added_s']:.1f} s", file=sys.stderr)
        for name, gt in (("JIT", jit), ("native", native)):
            if gt is None:
                continue
            again = run(gt, measure=True)
            windows = ", ".join(f"{w:.2f} %" for w in again["windows"])
            print(f"{name}, restart (resume data): first added after {again['first_added_s']:.2f} s, all {args.torrents} after {again['all_added_s']:.2f} s; "
                  f"idle CPU per {args.window} s window: {windows}; RSS {again['rss_mb']:.0f} MB (peak {again['peak_rss_mb']:.0f} MB); "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
