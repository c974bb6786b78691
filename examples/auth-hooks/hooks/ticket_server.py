#!/usr/bin/env python3
"""A persistent onConnect hook (`mode: persistent`): one long-running process, one JSON request per stdin line,
one JSON answer per stdout line with the request's "id". Answers may come in any order; "allow" is required.

Same policy as check-ticket.sh, without a process start per connect.
"""
import json
import sys


def decide(request):
    ticket = (request.get("query") or {}).get("ticket", "")
    if ticket.startswith("T-"):
        return {"allow": True, "cache": "30s"}
    if not ticket:
        return {"allow": False, "status": 401, "reason": "a ticket is required"}
    return {"allow": False, "status": 403, "reason": "ticket not recognised"}


def main():
    for line in sys.stdin:
        request = json.loads(line)
        answer = decide(request)
        answer["id"] = request["id"]
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
