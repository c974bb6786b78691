#!/usr/bin/env python3
"""The cheapest real persistent hook: allows every request (benchmarks of persistent-mode hook overhead).

It answers every request line that one read brought with one write, as a busy hook should: the gateway writes the
requests of a burst together, so a storm of connects costs the hook a few system calls, not two per request.
(benchmarks/auth-origin.py, Nchan's authorization upstream in the same scenario, answers the same way.)"""
import os

pending = b""
while True:
    chunk = os.read(0, 65536)
    if not chunk:
        break
    lines = (pending + chunk).split(b"\n")
    pending = lines.pop()
    answers = []
    for line in lines:
        # The request's id is its last member: ...,"id":17}
        start = line.rfind(b'"id":') + 5
        answers.append(b'{"id":%s,"allow":true}\n' % line[start:line.rfind(b"}")].strip())
    os.write(1, b"".join(answers))
