#!/usr/bin/env python3
"""Small network helpers for the port-mapping tests (Harness/NatRouter.cs). The harness runs
each one inside a network namespace it made itself (ip netns exec), so nothing here reaches
another network. Every command exits by itself after --lifetime seconds at most.

  stun ADDRESS PORT        a STUN binding responder (RFC 5389) on UDP ADDRESS:PORT: answers
                           each Binding Request with the request's own source as MAPPED-ADDRESS
                           and XOR-MAPPED-ADDRESS. miniupnpd >= 2.2 forwards nothing while its
                           external address is private unless STUN says it is reachable.
  listen ADDRESS PORT      accepts one TCP connection, prints who came, sends "hello", exits.
  connect ADDRESS PORT     one TCP connect; prints "connected" (with the first bytes read),
                           "refused" or "timeout".

Prints one JSON object per line: {"event": ...}.
"""
import argparse
import json
import signal
import socket
import struct
import sys

MAGIC_COOKIE = 0x2112A442
BINDING_REQUEST = 0x0001
BINDING_SUCCESS = 0x0101
MAPPED_ADDRESS = 0x0001
XOR_MAPPED_ADDRESS = 0x0020


def emit(**fields):
    print(json.dumps(fields), flush=True)


def stun_reply(request, address, port):
    if len(request) < 20:
        return None
    kind, _, cookie = struct.unpack("!HHI", request[:8])
    if kind != BINDING_REQUEST or cookie != MAGIC_COOKIE:
        return None
    raw = socket.inet_aton(address)
    mapped = struct.pack("!HHBBH", MAPPED_ADDRESS, 8, 0, 1, port) + raw
    xored = bytes(a ^ b for a, b in zip(raw, struct.pack("!I", MAGIC_COOKIE)))
    xor_mapped = struct.pack("!HHBBH", XOR_MAPPED_ADDRESS, 8, 0, 1, port ^ (MAGIC_COOKIE >> 16)) + xored
    body = mapped + xor_mapped
    # Transaction id echoed; CHANGE-REQUEST ignored (a 1:1 "NAT" answers from the same place).
    return struct.pack("!HHI", BINDING_SUCCESS, len(body), MAGIC_COOKIE) + request[8:20] + body


def cmd_stun(a):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((a.address, a.port))
    emit(event="ready", port=sock.getsockname()[1])
    answered = 0
    while True:
        data, (host, port) = sock.recvfrom(2048)
        reply = stun_reply(data, host, port)
        if reply is not None:
            sock.sendto(reply, (host, port))
            answered += 1
            emit(event="answered", peer="%s:%d" % (host, port), count=answered)


def cmd_listen(a):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((a.address, a.port))
    server.listen(4)
    emit(event="ready", port=server.getsockname()[1])
    conn, (host, port) = server.accept()
    emit(event="accepted", peer="%s:%d" % (host, port))
    conn.sendall(b"hello")
    conn.close()


def cmd_connect(a):
    try:
        conn = socket.create_connection((a.address, a.port), timeout=a.connect_timeout)
    except ConnectionRefusedError:
        emit(event="refused")
        return
    except (socket.timeout, TimeoutError):
        emit(event="timeout")
        return
    conn.settimeout(a.connect_timeout)
    try:
        first = conn.recv(64)
    except (socket.timeout, TimeoutError):
        first = b""
    emit(event="connected", local="%s:%d" % conn.getsockname(), received=first.decode("latin-1"))
    conn.close()


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--lifetime", type=float, default=600.0, help="exit after this many seconds")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("stun", "listen", "connect"):
        p = commands.add_parser(name)
        p.add_argument("address")
        p.add_argument("port", type=int)
        if name == "connect":
            p.add_argument("--connect-timeout", type=float, default=5.0)
    a = parser.parse_args(argv)

    def expire(*_):
        emit(event="expired")
        sys.exit(3)

    signal.signal(signal.SIGALRM, expire)
    signal.alarm(max(1, int(a.lifetime)))
    {"stun": cmd_stun, "listen": cmd_listen, "connect": cmd_connect}[a.command](a)


if __name__ == "__main__":
    main(sys.argv[1:])
