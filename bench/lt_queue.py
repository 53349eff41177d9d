#!/usr/bin/env python3
"""What a libtorrent downloader sees of one seed: its request queue and where it waits.

Usage: /usr/bin/python3 bench/lt_queue.py TORRENT OUT_DIR HOST:PORT [--every SECONDS] [--timeout SECONDS]

Downloads TORRENT into OUT_DIR from the one seed at HOST:PORT (127.0.0.1 only, DHT, LSD, UPnP,
NAT-PMP and uTP off) and prints, every --every seconds, libtorrent's peer_info of that seed:
download_queue_length (requests in flight), the payload rate, its receive buffer, its read and
write state (bit values of peer_info's bw_* flags: 17 = waiting for its disk) and its pending
disk bytes. A seed that announces a small BEP 10 `reqq` shows as a short queue here.
"""
import argparse
import sys
import time

import libtorrent as lt


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("torrent")
    parser.add_argument("out")
    parser.add_argument("peer")
    parser.add_argument("--every", type=float, default=0.25)
    parser.add_argument("--timeout", type=float, default=120)
    a = parser.parse_args(argv)
    host, port = a.peer.rsplit(":", 1)
    ses = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "dht_bootstrap_nodes": "",
                      "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
                      "enable_ip_notifier": False, "enable_incoming_utp": False,
                      "enable_outgoing_utp": False, "allow_multiple_connections_per_ip": True})
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(a.torrent)
    atp.save_path = a.out
    handle = ses.add_torrent(atp)
    handle.connect_peer((host, int(port)))
    start = time.monotonic()
    last = -a.every
    while True:
        now = time.monotonic() - start
        st = handle.status()
        if st.is_finished and st.state in (lt.torrent_status.seeding, lt.torrent_status.finished):
            print("complete after %.2f s" % now, flush=True)
            return 0
        if now >= a.timeout:
            print("timed out after %.2f s at %.1f %%" % (now, st.progress * 100), flush=True)
            return 2
        if now - last >= a.every:
            last = now
            for p in handle.get_peer_info():
                print("%6.2f s  %5.1f %%  queue %4d  %6.1f MB/s  receive buffer %8d  read %2d  write %2d  disk pending %8d"
                      % (now, st.progress * 100, p.download_queue_length, p.payload_down_speed / 1e6,
                         p.receive_buffer_size, p.read_state, p.write_state, p.pending_disk_bytes), flush=True)
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
