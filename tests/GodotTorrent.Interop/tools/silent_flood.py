#!/usr/bin/env python3
"""A connection-slot flood for the interop tests (issue 11, item 2).

Opens COUNT TCP connections to 127.0.0.1:PORT from source addresses 127.0.0.2 and up, sends a
valid BitTorrent handshake on each (the info-hash is public) and then says nothing: it only reads
what the other side sends, so it never blocks it. A connection the other side closes is opened
again until STOP_FILE exists; after that the ones still open are held. Prints JSON lines:
{"event": "flooding", ...} once every connection was tried, {"event": "stats", ...} every second,
{"event": "holding"} when reconnecting stops. Exits after LIFETIME seconds whatever happens.
Loopback only; no DHT, nothing else.
"""
import argparse
import asyncio
import json
import os
import resource
import sys
import time


class Stats:
    def __init__(self):
        self.open = 0
        self.opened = 0
        self.closed_by_peer = 0
        self.failed = 0
        self.tried = 0


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


async def hold(index, args, handshake, stats, stopping):
    source = "127.0.0.%d" % (2 + index % args.sources)
    first = True
    while first or not stopping.is_set():
        if not first:
            await asyncio.sleep(args.reconnect_delay)
        first_try = first
        first = False
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", args.port, local_addr=(source, 0)), 10)
        except (OSError, asyncio.TimeoutError):
            stats.failed += 1
            if first_try:
                stats.tried += 1
            continue
        if first_try:
            stats.tried += 1
        stats.open += 1
        stats.opened += 1
        try:
            writer.write(handshake + os.urandom(12))
            await writer.drain()
            while await reader.read(65536):
                pass
            stats.closed_by_peer += 1
        except OSError:
            stats.closed_by_peer += 1
        finally:
            stats.open -= 1
            writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--info-hash", required=True, help="40 hex digits")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--sources", type=int, default=40, help="source addresses 127.0.0.2 and up")
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--lifetime", type=float, default=120)
    parser.add_argument("--reconnect-delay", type=float, default=0.2, help="seconds before a closed connection is opened again")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.count + 64
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
        soft = min(need, hard)
    if soft < need:
        emit("error", message="file descriptor limit %d is below %d" % (soft, need))
        return 2

    handshake = b"\x13BitTorrent protocol" + bytes(8) + bytes.fromhex(args.info_hash) + b"-SF0001-"
    stats = Stats()
    stopping = asyncio.Event()
    deadline = time.monotonic() + args.lifetime
    tasks = [asyncio.create_task(hold(i, args, handshake, stats, stopping)) for i in range(args.count)]
    announced = False
    ticks = 0
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        ticks += 1
        if not announced and stats.tried >= args.count:
            announced = True
            emit("flooding", open=stats.open, opened=stats.opened, failed=stats.failed)
        if not stopping.is_set() and os.path.exists(args.stop_file):
            stopping.set()
            emit("holding", open=stats.open)
        if ticks % 5 == 0:
            emit("stats", open=stats.open, opened=stats.opened, closed_by_peer=stats.closed_by_peer, failed=stats.failed)
    for task in tasks:
        task.cancel()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
