#!/usr/bin/env python3
"""Mints an HS256 JWT for trying examples/auth (standard library only).

    ./mint-token.py alice                                   # a member token for user alice, valid 1 hour
    ./mint-token.py alice --claim 'channels=["room:blue"]'  # extra claims, as JSON values
    ./mint-token.py svc --aud publish --claim 'rooms=["room:blue"]' --ttl 60
"""
import argparse, base64, hashlib, hmac, json, os, time


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("sub")
parser.add_argument("--aud", default="app")
parser.add_argument("--iss", default="https://id.example.com")
parser.add_argument("--ttl", type=int, default=3600, help="seconds until it expires (negative: already expired)")
parser.add_argument("--claim", action="append", default=[], help="NAME=JSON")
args = parser.parse_args()

secret = os.environ.get("JWT_SECRET", "auth-example-secret-of-at-least-32-bytes!!").encode()
claims = {"sub": args.sub, "aud": args.aud, "iss": args.iss, "exp": int(time.time()) + args.ttl}
for item in args.claim:
    name, _, value = item.partition("=")
    claims[name] = json.loads(value)
signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
print(signing_input + "." + b64(signature))
