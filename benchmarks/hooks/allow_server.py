#!/usr/bin/env python3
"""The cheapest real persistent hook: allows every request (benchmarks of persistent-mode hook overhead)."""
import sys

for line in sys.stdin:
    start = line.rfind('"id":') + 5
    end = start
    while end < len(line) and (line[end].isdigit() or line[end] == " "):
        end += 1
    sys.stdout.write('{"id":%s,"allow":true}\n' % line[start:end].strip())
    sys.stdout.flush()
