#!/usr/bin/env python3
"""Streaming benchmark: time to the first byte of a random seek against the whole download.

Writes --size MiB of random data, makes a v1 torrent of it with libtorrent, and seeds it from
libtorrent limited to --rate MB/s on 127.0.0.1. Then, in the same run and from the same seed:
  seek   `gdtorrent stream` (a fresh folder each run) and one HTTP range request of 64 KiB at a
         random offset; the figure is from the stream process' start to the first byte of the
         answer (start-up, the connection to the seed and the piece fetch included), and from the
         request to that byte;
  whole  `gdtorrent download` of the same torrent to a fresh folder, from its start to its exit.
Every answer is compared with the source bytes. Nothing asserts a time: this is a measurement.

Usage: /usr/bin/python3 bench/stream_seek.py [--size MiB] [--rate MB/s] [--piece-size KiB] [--runs N] [--seed S]
(Debian's python3 with the libtorrent module: ./scripts/install-deps.sh; build the solution first.)
"""
import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import swarm  # noqa: E402  (paths, helpers: one copy for every bench script)

GT, LT, log = swarm.gt, swarm.lt, swarm.log
NAME = "movie.bin"
NET = ["--listen", "127.0.0.1", "--port", "0", "--no-dht", "--no-lsd", "--no-port-mapping"]


def first_url(process, timeout):
    """Reads the stream process' JSON lines until its first "url" event."""
    found = {}

    def reader():
        for line in process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "url" and "url" not in found:
                found["url"] = event["url"]

    threading.Thread(target=reader, daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if "url" in found:
            return found["url"]
        time.sleep(0.005)
    raise RuntimeError("gdtorrent stream printed no URL")


def seek_once(torrent, out, port, offset, length, source, timeout):
    start = time.monotonic()
    process = subprocess.Popen(GT("stream", torrent, "--out", out, "--peer", f"127.0.0.1:{port}", *NET, "--json"),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = first_url(process, timeout)
        host = url.split("/")[2]
        path = "/" + url.split("/", 3)[3]
        connection = http.client.HTTPConnection(host, timeout=timeout)
        asked = time.monotonic()
        connection.request("GET", path, headers={"Range": f"bytes={offset}-{offset + length - 1}"})
        response = connection.getresponse()
        first = response.read(1)
        got = time.monotonic()
        body = first + response.read()
        if response.status != 206 or body != source[offset:offset + length]:
            raise RuntimeError(f"wrong answer at {offset}: {response.status}, {len(body)} bytes")
        connection.close()
        return got - start, got - asked
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=64, help="MiB (default 64)")
    parser.add_argument("--rate", type=float, default=2.0, help="the seed's upload limit in MB/s (default 2)")
    parser.add_argument("--piece-size", type=int, default=256, help="KiB (default 256)")
    parser.add_argument("--runs", type=int, default=5, help="random seeks (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the offsets")
    args = parser.parse_args()
    if not os.path.exists(swarm.GT_DLL):
        raise SystemExit(f"{swarm.GT_DLL} is missing: dotnet build GodotTorrent.slnx -c Release")

    size = args.size << 20
    timeout = 60 + size / (args.rate * 1e6) * 3
    pick = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="stream-bench-") as work:
        data = os.path.join(work, "seed")
        os.makedirs(data)
        source = os.urandom(size)
        with open(os.path.join(data, NAME), "wb") as f:
            f.write(source)
        torrent = os.path.join(work, "movie.torrent")
        subprocess.run(LT("create", "--path", os.path.join(data, NAME), "--out", torrent, "--piece-size", str(args.piece_size << 10), "--v1"),
                       check=True, stdout=subprocess.DEVNULL)
        seeder = subprocess.Popen(LT("seed", "--torrent", torrent, "--data", data, "--port", "0", "--upload-limit", str(int(args.rate * 1e6)),
                                     "--timeout", str(int(timeout * (args.runs + 2)))),
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port, _ = swarm.read_port(seeder)
            seeks = []
            for run in range(args.runs):
                offset = pick.randrange(0, size - 65536)
                total, request = seek_once(torrent, os.path.join(work, f"stream{run}"), port, offset, 65536, source, timeout)
                seeks.append(total)
                log(f"seek {run + 1}: offset {offset / 1048576:6.1f} MiB: first byte {total:6.2f} s after start ({request:5.2f} s after the request)")

            out = os.path.join(work, "whole")
            start = time.monotonic()
            code = subprocess.run(GT("download", torrent, "--out", out, "--peer", f"127.0.0.1:{port}", *NET, "--timeout", str(int(timeout))),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            whole = time.monotonic() - start
            if code != 0 or swarm.sha256(os.path.join(out, NAME)) != swarm.sha256(os.path.join(data, NAME)):
                raise RuntimeError(f"the whole download failed (exit {code})")
        finally:
            seeder.send_signal(signal.SIGINT)
            try:
                seeder.wait(timeout=30)
            except subprocess.TimeoutExpired:
                seeder.kill()

    median = statistics.median(seeks)
    print(f"{args.size} MiB, seed at {args.rate:g} MB/s, pieces of {args.piece_size} KiB, {args.runs} random seeks")
    print(f"time to first byte of a random seek: median {median:.2f} s (min {min(seeks):.2f}, max {max(seeks):.2f}), process start included")
    print(f"whole download: {whole:.2f} s")
    print(f"ratio: {median / whole:.3f} of the whole download")


if __name__ == "__main__":
    main()
