#!/usr/bin/env python3
"""Does a uTP download step aside for other traffic? Issue 13's yielding experiment.

Two network namespaces, A (seeder, 10.77.0.1) and B (downloader, 10.77.0.2), joined through a
third, R, that plays the bottleneck router: each direction is held 20 ms by a small relay of
ours (so the round trip is 40 ms) and then shaped to 20 Mbit/s by a token bucket (tc tbf) with a
drop-tail queue of --queue-ms. No address is routed out of the namespaces. For each case the
download runs alone for --alone seconds after its first byte, then a bulk TCP transfer A -> B
(Python sockets, cubic) runs for --burst seconds, then the download runs alone again for
--tail seconds. A UDP ping from B to A five times a second shows the queueing delay.

Cases: Godot-Torrent over uTP only (gt-utp: the default 100 ms LEDBAT target; gt-bg: --transport
background, SessionSettings.Background's 60 ms), libtorrent over uTP only (the reference; lt_tool
with --transport utp), and Godot-Torrent over TCP (the control: TCP does not yield). Before them the
link itself is measured: idle round trip and TCP alone. Rates are payload Mbit/s; "x link" is a
share of what TCP alone got through the same link in the same run.

Usage (root; Debian's python3 for libtorrent, ./scripts/install-deps.sh installs it):
    /usr/bin/python3 bench/utp_yield.py [--size MiB] [--runs N] [--queue-ms MS] [--skip-build]
                                       [--cases gt-utp,gt-bg,lt-utp,gt-tcp]
Needs iproute2 (ip, tc) and a kernel with veth and tbf. netem is not needed (the machine this
was written on has no sch_netem): the delay line is the relay below, run in R with packet
sockets. Installs nothing. Namespaces gtyield-a, -r, -b are removed and every process started
is stopped by its PID on exit, Ctrl-C included.

Internal subcommands (run inside the namespaces by the main command): relay, offload-off,
tcp-sink, tcp-source, udp-echo, udp-ping.
"""
import argparse
import array
import collections
import errno
import fcntl
import json
import os
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import swarm  # noqa: E402  (the CLI and lt_tool command lines, the seeder's start-up)

NAMESPACES = {"a": "gtyield-a", "r": "gtyield-r", "b": "gtyield-b"}
ADDRESS_A = "10.77.0.1"
ADDRESS_B = "10.77.0.2"
SEED_PORT = 6881
DOWN_PORT = 6882
TCP_PORT = 5201
ECHO_PORT = 5202
RATE_MBIT = 20
ONE_WAY_DELAY_MS = 20
SELF = os.path.abspath(__file__)
PYTHON = "/usr/bin/python3"


def log(message):
    print(message, file=sys.stderr, flush=True)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------- helpers run inside namespaces

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SOL_PACKET = 263
PACKET_IGNORE_OUTGOING = 23
SO_SNDBUFFORCE = 32
SO_RCVBUFFORCE = 33


def cmd_relay(a):
    """A delay line between two interfaces: every frame leaves the other side `delay` later.

    Frames are sent through the outgoing interface's qdisc (the tbf), so a full queue drops them
    there (ENOBUFS), as a router's drop-tail queue would."""
    delay = a.delay_ms / 1000.0
    socks = []
    for name in (a.left, a.right):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 8 << 20)
        s.bind((name, 0))
        s.setblocking(False)
        socks.append(s)
    other = {socks[0].fileno(): socks[1], socks[1].fileno(): socks[0]}
    queues = {s.fileno(): collections.deque() for s in socks}
    stats = {"event": "relay", "frames": 0, "dropped_queue": 0, "dropped_other": 0, "max_frame": 0, "max_late_ms": 0.0}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    next_report = time.monotonic() + 1.0
    while True:
        now = time.monotonic()
        due = [q[0][0] for q in queues.values() if q]
        timeout = max(0.0, min(due) - now) if due else 0.2
        readable, _, _ = select.select(socks, [], [], min(timeout, 0.2))
        now = time.monotonic()
        for s in readable:
            while True:
                try:
                    frame, address = s.recvfrom(65536)
                except BlockingIOError:
                    break
                if address[2] == PACKET_OUTGOING:
                    continue
                queues[s.fileno()].append((now + delay, frame))
                stats["max_frame"] = max(stats["max_frame"], len(frame))
        for fd, queue in queues.items():
            while queue and queue[0][0] <= now:
                at, frame = queue.popleft()
                stats["max_late_ms"] = max(stats["max_late_ms"], round((now - at) * 1000, 2))
                try:
                    other[fd].send(frame)
                    stats["frames"] += 1
                except OSError as ex:
                    key = "dropped_queue" if ex.errno in (errno.ENOBUFS, errno.EAGAIN) else "dropped_other"
                    stats[key] += 1
        if now >= next_report:
            next_report = now + 1.0
            emit(stats)


def cmd_offload_off(a):
    """ethtool -K IF tx off sg off tso off gso off, by ioctl (no ethtool here): the relay must
    see finished frames of at most the MTU with their checksums filled in."""
    siocethtool = 0x8946
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for command in (0x17, 0x19, 0x1F, 0x24):  # ETHTOOL_STXCSUM, _SSG, _STSO, _SGSO
        value = array.array("I", [command, 0])
        request = struct.pack("16sP", a.interface.encode(), value.buffer_info()[0]).ljust(40, b"\0")
        fcntl.ioctl(s, siocethtool, request)


def cmd_tcp_sink(a):
    """Accepts one TCP connection and reports the bytes received so far every 0.1 s."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", a.port))
    server.listen(1)
    emit({"event": "listening"})
    conn, _ = server.accept()
    total = 0
    emit({"event": "accepted", "t": time.monotonic()})
    next_report = time.monotonic()
    while True:
        chunk = conn.recv(1 << 20)
        now = time.monotonic()
        if chunk:
            total += len(chunk)
        if now >= next_report or not chunk:
            next_report = now + 0.1
            emit({"event": "bytes", "t": now, "bytes": total})
        if not chunk:
            return


def cmd_tcp_source(a):
    """Sends as fast as TCP lets it for `seconds`, with the congestion control asked for."""
    host, port = a.to.rsplit(":", 1)
    s = socket.socket()
    if a.cc:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, a.cc.encode())
    s.connect((host, int(port)))
    start = time.monotonic()
    cc = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0").decode()
    emit({"event": "connected", "t": start, "cc": cc})
    block = os.urandom(1 << 16)
    while time.monotonic() - start < a.seconds:
        s.sendall(block)
    s.close()
    emit({"event": "done", "t": time.monotonic()})


def cmd_udp_echo(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", a.port))
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)


def cmd_udp_ping(a):
    """A UDP ping every `interval`: round trips in ms, for the queueing delay under load."""
    host, port = a.to.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((host, int(port)))
    s.settimeout(a.interval)
    sequence = 0
    sent = {}
    while True:
        sequence += 1
        now = time.monotonic()
        sent[sequence] = now
        s.send(struct.pack("!Q", sequence).ljust(64, b"\0"))
        deadline = now + a.interval
        while time.monotonic() < deadline:
            s.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                data = s.recv(2048)
            except (socket.timeout, ConnectionRefusedError):
                continue
            number = struct.unpack("!Q", data[:8])[0]
            at = sent.pop(number, None)
            if at is not None:
                emit({"t": at, "rtt_ms": round((time.monotonic() - at) * 1000, 2)})
        for old in [n for n in sent if n < sequence - 50]:
            del sent[old]


# ---------------------------------------------------------------- the network

def run(*command, check=True):
    return subprocess.run(command, check=check, capture_output=True, text=True)


def in_ns(key, *command):
    return ["ip", "netns", "exec", NAMESPACES[key], *command]


def remove_network():
    for name in NAMESPACES.values():
        run("ip", "netns", "del", name, check=False)


def make_network(queue_ms, cc):
    remove_network()
    for name in NAMESPACES.values():
        run("ip", "netns", "add", name)
    a, r, b = NAMESPACES["a"], NAMESPACES["r"], NAMESPACES["b"]
    run("ip", "link", "add", "a0", "netns", a, "type", "veth", "peer", "name", "ra", "netns", r)
    run("ip", "link", "add", "b0", "netns", b, "type", "veth", "peer", "name", "rb", "netns", r)
    for key in NAMESPACES:
        run(*in_ns(key, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"))
        # The TCP control's peers use this; the machine's default here, bbr, would not fill the
        # queue, and a namespace may only pick from tcp_allowed_congestion_control (reno, bbr).
        run(*in_ns(key, "sysctl", "-q", "-w", f"net.ipv4.tcp_congestion_control={cc}"))
        run("ip", "-n", NAMESPACES[key], "link", "set", "lo", "up")
    run("ip", "-n", a, "addr", "add", f"{ADDRESS_A}/24", "dev", "a0")
    run("ip", "-n", b, "addr", "add", f"{ADDRESS_B}/24", "dev", "b0")
    run(*in_ns("a", PYTHON, SELF, "offload-off", "a0"))
    run(*in_ns("b", PYTHON, SELF, "offload-off", "b0"))
    limit = RATE_MBIT * 1_000_000 // 8 * queue_ms // 1000
    for device in ("ra", "rb"):
        # The bottleneck: 20 Mbit/s out of R each way with a drop-tail queue of queue_ms.
        run("ip", "netns", "exec", r, "tc", "qdisc", "add", "dev", device, "root", "tbf",
            "rate", f"{RATE_MBIT}mbit", "burst", "16kb", "limit", str(limit))
        run("ip", "-n", r, "link", "set", device, "up")
    run("ip", "-n", a, "link", "set", "a0", "up")
    run("ip", "-n", b, "link", "set", "b0", "up")


class Child:
    """A process in a namespace whose JSON lines are collected with the time they arrived."""

    def __init__(self, key, command, name, keep_output=True):
        self.name = name
        self.lines = []
        self.process = subprocess.Popen(in_ns(key, *command), stdout=subprocess.PIPE if keep_output else subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, text=True)
        if keep_output:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                event["_at"] = time.monotonic()
                self.lines.append(event)

    def wait_for(self, predicate, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in list(self.lines):
                if predicate(event):
                    return event
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"{self.name}: no {what} within {timeout} s")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


# ---------------------------------------------------------------- measurements

def rate_mbit(samples, start, end):
    """Payload Mbit/s between two times from (time, cumulative bytes) samples, interpolated."""
    def at(t):
        before = [s for s in samples if s[0] <= t]
        after = [s for s in samples if s[0] >= t]
        if not before:
            return samples[0][1] if samples else 0
        if not after:
            return before[-1][1]
        (t0, b0), (t1, b1) = before[-1], after[0]
        return b0 if t1 == t0 else b0 + (b1 - b0) * (t - t0) / (t1 - t0)
    if not samples or end <= start:
        return float("nan")
    return (at(end) - at(start)) * 8 / (end - start) / 1e6


def median_rtt(pings, start, end):
    values = [p["rtt_ms"] for p in pings if start <= p["t"] < end]
    return statistics.median(values) if values else float("nan")


def ping_events(child):
    return [e for e in child.lines if "rtt_ms" in e]


def measure_link(seconds, cc):
    """Idle round trip and what TCP alone gets through the link, same helpers as the cases."""
    children = []
    try:
        children.append(Child("a", [PYTHON, SELF, "udp-echo", "--port", str(ECHO_PORT)], "echo", keep_output=False))
        sink = Child("b", [PYTHON, SELF, "tcp-sink", "--port", str(TCP_PORT)], "tcp sink")
        children.append(sink)
        sink.wait_for(lambda e: e.get("event") == "listening", 10, "listening")
        ping = Child("b", [PYTHON, SELF, "udp-ping", "--to", f"{ADDRESS_A}:{ECHO_PORT}", "--interval", "0.2"], "ping")
        children.append(ping)
        time.sleep(2.5)
        idle_rtt = median_rtt(ping_events(ping), 0, time.monotonic())
        source = Child("a", [PYTHON, SELF, "tcp-source", "--to", f"{ADDRESS_B}:{TCP_PORT}", "--seconds", str(seconds), "--cc", cc], "tcp source")
        children.append(source)
        connected = source.wait_for(lambda e: e.get("event") == "connected", 10, "connection")
        source.process.wait(seconds + 20)
        time.sleep(0.3)
        samples = [(e["t"], e["bytes"]) for e in sink.lines if e.get("event") == "bytes"]
        t0 = connected["t"]
        return {"idle_rtt_ms": idle_rtt, "tcp_mbit": rate_mbit(samples, t0 + 2, t0 + seconds),
                "tcp_0_5_mbit": rate_mbit(samples, t0, t0 + 5), "loaded_rtt_ms": median_rtt(ping_events(ping), t0 + 2, t0 + seconds),
                "cc": connected.get("cc")}
    finally:
        for child in reversed(children):
            child.stop()


def seeder_command(kind, transport, torrent, data, timeout):
    if kind == "gt":
        return swarm.gt("seed", "--no-dht", "--no-lsd", torrent, "--data", data, "--listen", ADDRESS_A, "--port", str(SEED_PORT), "--json",
                        "--timeout", str(timeout), "--transport", transport)
    return swarm.lt("seed", "--torrent", torrent, "--data", data, "--listen", ADDRESS_A, "--port", str(SEED_PORT),
                    "--timeout", str(timeout), "--transport", transport)


def downloader_command(kind, transport, torrent, out, timeout):
    peer = f"{ADDRESS_A}:{SEED_PORT}"
    if kind == "gt":
        return swarm.gt("download", "--no-dht", "--no-lsd", torrent, "--out", out, "--peer", peer, "--listen", ADDRESS_B, "--port", str(DOWN_PORT),
                        "--json", "--timeout", str(timeout), "--transport", transport)
    return swarm.lt("download", "--torrent", torrent, "--out", out, "--peer", peer, "--listen", ADDRESS_B,
                    "--port", str(DOWN_PORT), "--timeout", str(timeout), "--transport", transport)


def downloaded_samples(child):
    # gdtorrent's status lines carry total_download; lt_tool's progress lines downloaded.
    samples = []
    for event in list(child.lines):
        value = event.get("total_download", event.get("downloaded"))
        if isinstance(value, int):
            samples.append((event["_at"], value))
    return samples


def run_case(kind, transport, torrent, data, work, args):
    out = os.path.join(work, "out")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    timeout = int(args.alone + args.burst + args.tail + 120)
    children = []
    try:
        seed = Child("a", seeder_command(kind, transport, torrent, data, timeout), "seeder")
        children.append(seed)
        seed.wait_for(lambda e: e.get("event") == "seeding" or e.get("state") == "seeding", 120, "seeding")
        children.append(Child("a", [PYTHON, SELF, "udp-echo", "--port", str(ECHO_PORT)], "echo", keep_output=False))
        sink = Child("b", [PYTHON, SELF, "tcp-sink", "--port", str(TCP_PORT)], "tcp sink")
        children.append(sink)
        sink.wait_for(lambda e: e.get("event") == "listening", 10, "listening")
        ping = Child("b", [PYTHON, SELF, "udp-ping", "--to", f"{ADDRESS_A}:{ECHO_PORT}", "--interval", "0.2"], "ping")
        children.append(ping)
        down = Child("b", downloader_command(kind, transport, torrent, out, timeout), "downloader")
        children.append(down)
        started = time.monotonic()
        deadline = started + 60
        while not any(b > 0 for _, b in downloaded_samples(down)):
            if time.monotonic() > deadline or down.process.poll() is not None:
                raise RuntimeError(f"{kind} over {transport}: no data within 60 s")
            time.sleep(0.1)
        first = time.monotonic()
        time.sleep(args.alone)
        # Which transport carries the download: its TCP connections to the seeder, if any.
        tcp_peers = run(*in_ns("b", "ss", "-Htn", "state", "established", f"( dport = :{SEED_PORT} )")).stdout.strip().splitlines()
        source = Child("a", [PYTHON, SELF, "tcp-source", "--to", f"{ADDRESS_B}:{TCP_PORT}", "--seconds", str(args.burst), "--cc", args.cc], "tcp source")
        children.append(source)
        t0 = source.wait_for(lambda e: e.get("event") == "connected", 10, "connection")["t"]
        source.process.wait(args.burst + 20)
        time.sleep(args.tail)
        end = time.monotonic()
        samples = downloaded_samples(down)
        tcp = [(e["t"], e["bytes"]) for e in sink.lines if e.get("event") == "bytes"]
        pings = ping_events(ping)
        t_end = t0 + args.burst
        return {
            "peer_tcp_connections": len(tcp_peers),
            "first_byte_s": first - started,
            "alone": rate_mbit(samples, t0 - 5, t0),
            "alone_rtt": median_rtt(pings, t0 - 5, t0),
            "tcp_0_5": rate_mbit(tcp, t0, t0 + 5),
            "tcp_5_15": rate_mbit(tcp, t0 + 5, t_end),
            "utp_0_5": rate_mbit(samples, t0, t0 + 5),
            "utp_5_15": rate_mbit(samples, t0 + 5, t_end),
            "burst_rtt": median_rtt(pings, t0 + 5, t_end),
            "after": rate_mbit(samples, t_end + 1, end),
            # Second by second from the burst's start minus --alone, for the record.
            "per_second": [round(rate_mbit(samples, t0 - args.alone + i, t0 - args.alone + i + 1), 1)
                           for i in range(int(args.alone + args.burst + args.tail) - 1)],
            "tcp_per_second": [round(rate_mbit(tcp, t0 + i, t0 + i + 1), 1) for i in range(int(args.burst))],
            # TCP's rate over a sliding 1-s window, every 0.1 s: when it first holds 70 % of the link.
            "tcp_windows": [rate_mbit(tcp, t0 + i / 10, t0 + i / 10 + 1) for i in range(int(args.burst * 10) - 10)],
        }
    finally:
        for child in reversed(children):
            child.stop()
        shutil.rmtree(out, ignore_errors=True)


CASES = {
    "gt-utp": ("gt", "utp", "Godot-Torrent, uTP"),
    "gt-bg": ("gt", "background", "Godot-Torrent, uTP, --transport background (60 ms target)"),
    "lt-utp": ("lt", "utp", "libtorrent, uTP (1 MiB UDP buffers)"),
    "gt-tcp": ("gt", "tcp", "Godot-Torrent, TCP (control)"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd")
    relay = sub.add_parser("relay")
    relay.add_argument("left")
    relay.add_argument("right")
    relay.add_argument("--delay-ms", type=float, default=ONE_WAY_DELAY_MS)
    off = sub.add_parser("offload-off")
    off.add_argument("interface")
    sink = sub.add_parser("tcp-sink")
    sink.add_argument("--port", type=int, required=True)
    source = sub.add_parser("tcp-source")
    source.add_argument("--to", required=True)
    source.add_argument("--seconds", type=float, required=True)
    source.add_argument("--cc", default="")
    echo = sub.add_parser("udp-echo")
    echo.add_argument("--port", type=int, required=True)
    ping = sub.add_parser("udp-ping")
    ping.add_argument("--to", required=True)
    ping.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--size", type=int, default=256, help="MiB of data; must outlast a case (default 256)")
    parser.add_argument("--runs", type=int, default=1, help="rounds; the cases alternate within each round")
    parser.add_argument("--queue-ms", type=int, default=300, help="bottleneck queue in ms at 20 Mbit/s (default 300)")
    parser.add_argument("--alone", type=float, default=10, help="seconds the download runs alone before the TCP burst")
    parser.add_argument("--burst", type=float, default=15, help="seconds of bulk TCP")
    parser.add_argument("--tail", type=float, default=5, help="seconds after the burst")
    parser.add_argument("--cc", default="cubic", help="the TCP burst's congestion control, set on its socket (default cubic)")
    parser.add_argument("--ns-cc", default="reno", help="the namespaces' default TCP congestion control (default reno)")
    parser.add_argument("--cases", default="gt-utp,gt-bg,lt-utp,gt-tcp")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--json", action="store_true", help="also print every case's figures as JSON")
    args = parser.parse_args()
    helpers = {"relay": cmd_relay, "offload-off": cmd_offload_off, "tcp-sink": cmd_tcp_sink, "tcp-source": cmd_tcp_source,
               "udp-echo": cmd_udp_echo, "udp-ping": cmd_udp_ping}
    if args.cmd:
        try:
            helpers[args.cmd](args)
        except KeyboardInterrupt:
            pass
        return 0
    if os.geteuid() != 0:
        log("run as root: the experiment makes network namespaces")
        return 2
    cases = [c for c in args.cases.split(",") if c]
    if not args.skip_build and any(CASES[c][0] == "gt" for c in cases):
        subprocess.run(["dotnet", "build", os.path.join(swarm.ROOT, "src", "GodotTorrent.Cli"), "-c", "Release", "-nologo", "-v", "q"], check=True)

    # SIGTERM ends the run as Ctrl-C does, so the finally below always cleans up.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    work = tempfile.mkdtemp(prefix="gt-utp-yield-")
    relay_child = None
    try:
        data = os.path.join(work, "data")
        os.makedirs(data)
        name = "content.bin"
        with open(os.path.join(data, name), "wb") as f:
            for _ in range(args.size // 4):
                f.write(os.urandom(4 << 20))
        torrent = os.path.join(work, "yield.torrent")
        subprocess.run(swarm.lt("create", "--path", os.path.join(data, name), "--out", torrent, "--v1", "--piece-size", str(1 << 20), "--no-date"),
                       check=True, stdout=subprocess.DEVNULL)
        make_network(args.queue_ms, args.ns_cc)
        relay_child = Child("r", [PYTHON, SELF, "relay", "ra", "rb", "--delay-ms", str(ONE_WAY_DELAY_MS)], "relay")
        time.sleep(0.5)
        link = measure_link(10, args.cc)
        log(f"link: {link}")
        results = collections.defaultdict(list)
        for round_number in range(args.runs):
            for case in cases:
                kind, transport, _ = CASES[case]
                log(f"round {round_number + 1}: {case} ...")
                try:
                    result = run_case(kind, transport, torrent, data, work, args)
                except RuntimeError as ex:
                    log(f"  failed: {ex}")
                    result = None
                if result:
                    log(f"  {json.dumps(result)}")
                results[case].append(result)
        relay_stats = relay_child.lines[-1] if relay_child.lines else {}
        report(args, link, results, relay_stats)
        return 0
    finally:
        if relay_child:
            relay_child.stop()
        remove_network()
        shutil.rmtree(work, ignore_errors=True)


def report(args, link, results, relay_stats):
    base = link["tcp_mbit"]
    print(f"Link: tbf {RATE_MBIT} Mbit/s each way, {args.queue_ms} ms drop-tail queue, relay delay {ONE_WAY_DELAY_MS} ms each way; "
          f"measured in this run: idle round trip {link['idle_rtt_ms']:.1f} ms, TCP alone ({link['cc']}) {base:.1f} Mbit/s "
          f"({link['tcp_0_5_mbit']:.1f} in its first 5 s), round trip under TCP {link['loaded_rtt_ms']:.0f} ms; "
          f"relay: {relay_stats.get('frames', 0)} frames, {relay_stats.get('dropped_queue', 0)} dropped by the full queue, "
          f"at most {relay_stats.get('max_late_ms', 0)} ms late, largest frame {relay_stats.get('max_frame', 0)} B")
    print(f"Each case: download alone {args.alone:g} s after its first byte, bulk TCP ({args.cc}; other TCP {args.ns_cc}) A -> B for {args.burst:g} s, "
          f"then {args.tail:g} s alone; rates in payload Mbit/s, 'x link' = share of TCP alone's {base:.1f} Mbit/s; "
          f"{args.runs} round(s), each shown")
    print()
    print("| download | peer TCP conns | alone Mbit/s | x link | RTT alone ms | TCP 0-5 s | x link | TCP at 70 % after s | TCP 5-15 s | x link | download 0-5 s | download 5-15 s | RTT in burst ms | download after |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for case, runs in results.items():
        for r in runs:
            if r is None:
                print(f"| {CASES[case][2]} | failed | | | | | | | | | | | | |")
                continue
            reach = next((i / 10 + 1 for i, rate in enumerate(r["tcp_windows"]) if rate >= 0.7 * base), None)
            reach_text = f"{reach:.1f}" if reach is not None else "never"
            print(f"| {CASES[case][2]} | {r['peer_tcp_connections']} | {r['alone']:.1f} | {r['alone'] / base:.2f} | {r['alone_rtt']:.0f} | {r['tcp_0_5']:.1f} | "
                  f"{r['tcp_0_5'] / base:.2f} | {reach_text} | {r['tcp_5_15']:.1f} | {r['tcp_5_15'] / base:.2f} | {r['utp_0_5']:.1f} | "
                  f"{r['utp_5_15']:.1f} | {r['burst_rtt']:.0f} | {r['after']:.1f} |")
    if args.json:
        print()
        print(json.dumps({"link": link, "results": results}))


if __name__ == "__main__":
    sys.exit(main())
