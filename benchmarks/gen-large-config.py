#!/usr/bin/env python3
"""Writes a configuration with N routes and N channels (default 1,000 each) for timing `sluice check`.

usage: gen-large-config.py [N] > large.yaml
Half the channels are literal names, half templates; every route uses one of each, and a tenth have hooks and
auth, so every check in the pipeline runs on every route.
"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out = ["version: 1", "server: { listen: \"127.0.0.1:8080\" }", "auth:",
       "  publishers: [{ token: \"${TOKEN:-bench-token}\", channels: [\"feed*\"] }]",
       "  rules:", "    members: { token: { query: token }, static: [{ token: \"${T:-t}\", identity: { sub: x } }] }",
       "hooks:", "  check: { command: [/bin/true], timeout: 1s }", "channels:"]
for i in range(n // 2):
    out.append(f"  feed{i}: {{ history: 100, historyAge: 1h }}")
    out.append(f"  \"user{i}:{{id}}\": {{ history: 10, emptyTimeout: 10m }}")
out.append("routes:")
for i in range(n):
    j = i % (n // 2)
    extra = ", auth: members, onConnect: check" if i % 10 == 0 else ""
    out.append(f"  - {{ path: /events/r{i}/:id, channels: [feed{j}, \"user{j}:{{id}}\"]{extra} }}")
print("\n".join(out))
