#!/usr/bin/python3
"""BEP 44 signatures made and checked by other implementations, for Bep44SignatureInteropTests.

  sign    --seed HEX --salt HEX --seq N --value HEX    python's cryptography (OpenSSL) signs
  verify  --public HEX --salt HEX --seq N --value HEX --signature HEX
  lt-sign --seed HEX --salt HEX --text TEXT            libtorrent signs, through dht_put_mutable_item
                                                       on a session with no DHT nodes at all

Each prints one JSON object. The signed buffer is built here from the BEP's text, independently
of the C# code: 4:salt<len>:<salt> (only for a non-empty salt), 3:seqi<seq>e1:v, the bencoded value.
"""
import argparse
import hashlib
import json
import sys
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def signed_buffer(salt: bytes, seq: int, value: bytes) -> bytes:
    prefix = b"4:salt%d:%s" % (len(salt), salt) if salt else b""
    return prefix + b"3:seqi%de1:v" % seq + value


def public_of(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def expanded_secret(seed: bytes) -> bytes:
    # libtorrent's secret key form: SHA-512 of the seed with the scalar clamped.
    h = bytearray(hashlib.sha512(seed).digest())
    h[0] &= 248
    h[31] &= 63
    h[31] |= 64
    return bytes(h)


def cmd_sign(args):
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(args.seed))
    buffer = signed_buffer(bytes.fromhex(args.salt), args.seq, bytes.fromhex(args.value))
    return {
        "public_key": public_of(private).hex(),
        "signature": private.sign(buffer).hex(),
        "expanded_secret": expanded_secret(bytes.fromhex(args.seed)).hex(),
        "target": hashlib.sha1(public_of(private) + bytes.fromhex(args.salt)).hexdigest(),
    }


def cmd_verify(args):
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(args.public))
    buffer = signed_buffer(bytes.fromhex(args.salt), args.seq, bytes.fromhex(args.value))
    try:
        key.verify(bytes.fromhex(args.signature), buffer)
        return {"valid": True}
    except InvalidSignature:
        return {"valid": False}


def cmd_lt_sign(args):
    import libtorrent as lt

    seed = bytes.fromhex(args.seed)
    public = public_of(Ed25519PrivateKey.from_private_bytes(seed))
    # A private network namespace first (as tools/lt_dht.py does: the DHT under test runs only
    # where nothing can leave), then loopback only and no bootstrap nodes: the put signs, finds no
    # node and ends.
    import ctypes
    import subprocess
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    if libc.unshare(0x40000000) != 0:
        sys.exit("unshare(CLONE_NEWNET) failed: run as root")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    session = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": True,
        "dht_bootstrap_nodes": "",
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "alert_mask": lt.alert.category_t.dht_notification | lt.alert.category_t.error_notification,
    })
    session.dht_put_mutable_item(expanded_secret(seed), public, args.text, bytes.fromhex(args.salt))
    deadline = time.time() + 20
    while time.time() < deadline:
        session.wait_for_alert(200)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_put_alert):
                return {
                    "public_key": bytes(alert.public_key).hex(),
                    "signature": bytes(alert.signature).hex(),
                    "salt": bytes(alert.salt).hex() if isinstance(alert.salt, bytes) else alert.salt.encode().hex(),
                    "seq": alert.seq,
                    "nodes": alert.num_success,
                }
    sys.exit("no dht_put_alert within 20 s")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sign = sub.add_parser("sign")
    sign.add_argument("--seed", required=True)
    sign.add_argument("--salt", default="")
    sign.add_argument("--seq", type=int, required=True)
    sign.add_argument("--value", required=True)
    verify = sub.add_parser("verify")
    verify.add_argument("--public", required=True)
    verify.add_argument("--salt", default="")
    verify.add_argument("--seq", type=int, required=True)
    verify.add_argument("--value", required=True)
    verify.add_argument("--signature", required=True)
    lt_sign = sub.add_parser("lt-sign")
    lt_sign.add_argument("--seed", required=True)
    lt_sign.add_argument("--salt", default="")
    lt_sign.add_argument("--text", required=True)
    args = parser.parse_args()
    handler = {"sign": cmd_sign, "verify": cmd_verify, "lt-sign": cmd_lt_sign}[args.command]
    print(json.dumps(handler(args)))


if __name__ == "__main__":
    main()
