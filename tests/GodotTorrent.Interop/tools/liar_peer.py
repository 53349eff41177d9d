#!/usr/bin/python3
"""A scripted liar for the smart-ban interop test: a plain BEP 3 peer on 127.0.0.1 (no
extensions) that claims every piece of one torrent, unchokes whoever connects and answers each
request with random bytes. It never dials anyone. With --burst N it answers N requests, then
chokes (dropping the requests in flight) and unchokes 50 ms later, so the downloader fetches the
rest of those pieces elsewhere: its bad blocks end up in pieces with mixed senders.

Prints one JSON object per line, flushed: {"event": "listening", "port": N} once, then
{"event": "connection", "count": N} and {"event": "closed", "blocks": TOTAL} per connection.
Exits after --timeout seconds (SIGALRM 5 s later as a backstop).
"""
import argparse
import asyncio
import json
import os
import signal
import struct

PROTOCOL = b"BitTorrent protocol"


def emit(**event):
    print(json.dumps(event), flush=True)


async def serve(reader, writer, info_hash, pieces, burst, counters):
    counters["connections"] += 1
    emit(event="connection", count=counters["connections"])
    try:
        hello = await reader.readexactly(68)
        if hello[0] != 19 or hello[1:20] != PROTOCOL or hello[28:48] != info_hash:
            return
        writer.write(bytes([19]) + PROTOCOL + bytes(8) + info_hash + b"-LI0001-" + os.urandom(12))
        bits = bytearray((pieces + 7) // 8)
        for i in range(pieces):
            bits[i // 8] |= 0x80 >> (i % 8)
        writer.write(struct.pack(">IB", 1 + len(bits), 5) + bytes(bits))
        writer.write(struct.pack(">IB", 1, 1))
        await writer.drain()
        loop = asyncio.get_running_loop()
        answered = 0
        choked_until = 0.0
        while True:
            (length,) = struct.unpack(">I", await reader.readexactly(4))
            if length == 0:
                continue
            body = await reader.readexactly(length)
            if body[0] == 6 and length == 13 and loop.time() >= choked_until:
                index, begin, size = struct.unpack(">III", body[1:])
                if size > 128 * 1024:
                    return
                writer.write(struct.pack(">IBII", 9 + size, 7, index, begin) + os.urandom(size))
                counters["blocks"] += 1
                answered += 1
                if burst and answered % burst == 0:
                    writer.write(struct.pack(">IB", 1, 0))
                    choked_until = loop.time() + 0.05
                    loop.call_later(0.05, lambda: writer.is_closing() or writer.write(struct.pack(">IB", 1, 1)))
                await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        emit(event="closed", blocks=counters["blocks"])
        writer.close()


async def main(args):
    info_hash = bytes.fromhex(args.info_hash)
    counters = {"connections": 0, "blocks": 0}
    server = await asyncio.start_server(
        lambda r, w: serve(r, w, info_hash, args.pieces, args.burst, counters), host="127.0.0.1", port=args.port)
    emit(event="listening", port=server.sockets[0].getsockname()[1])
    async with server:
        await asyncio.sleep(args.timeout)
    emit(event="timeout", blocks=counters["blocks"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--info-hash", required=True, help="v1 info-hash, 40 hex digits")
    parser.add_argument("--pieces", type=int, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--burst", type=int, default=0, help="answer this many requests, then choke and unchoke (0: answer all)")
    parser.add_argument("--timeout", type=float, default=120)
    options = parser.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
    signal.alarm(int(options.timeout) + 5)
    asyncio.run(main(options))
