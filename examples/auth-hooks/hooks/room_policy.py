#!/usr/bin/env python3
"""onSubscribe hook: reads Sluice's JSON request on stdin, answers a JSON decision on stdout.

Members may join public rooms; rooms named 'staff-*' need the 'staff' role in the identity.
"""
import json
import sys


def decide(request):
    channel = request.get("channel") or (request.get("channels") or [""])[0]
    room = channel.split(":", 1)[-1]
    roles = (request.get("auth") or {}).get("roles") or []
    if room.startswith("staff-") and "staff" not in roles:
        return {"allow": False, "status": 403, "reason": "staff rooms need the staff role"}
    return {"allow": True, "cache": "60s"}


def main():
    try:
        request = json.load(sys.stdin)
    except ValueError:
        print("request was not JSON", file=sys.stderr)
        return 2
    answer = decide(request)
    json.dump(answer, sys.stdout)
    return 0 if answer["allow"] else 1


if __name__ == "__main__":
    sys.exit(main())
