#!/usr/bin/env python3
"""Charges each sample of a call-graph profile of `sluice serve` to the stage of the publish path it was in.

    perf record --call-graph dwarf,16384 -p PID -o perf.data -- sleep 4     # while a scenario runs
    perf script -i perf.data -F ip,sym,dso | benchmarks/perf-stages.py

A sample belongs to the innermost stage on its stack (stages are matched on fragments of mangled Swift names); its
share is printed as user or kernel time of the whole profile. "other" is everything outside these stages (the event
loop, NIO's socket reads, the selector).
"""
import collections
import sys

# (stage, fragments that must all appear in a frame), innermost first: the first match from the top of a stack wins.
STAGES = [
    ("deliver to subscribers", ("LoopShard", "deliver")),
    ("flush subscribers", ("LoopShard", "flushPass")),
    ("number, frame, retain", ("ChannelHub", "publish")),
    ("validate the event", ("PublishRequest", "parse")),
    ("parse the JSON body", ("JSONValue", "parse")),
    ("publish checks", ("PublisherV7publish",)),
    ("credential", ("APIRouterV10credential",)),
    ("answer", ("Published",)),
    ("write the response", ("ConnectionHandlerC5write_",)),
    ("dispatch", ("ConnectionHandlerC8dispatch",)),
    ("request parts", ("ConnectionHandlerC6handle",)),
    ("HTTP decoding (NIO)", ("HTTPDecoder",)),
    ("HTTP decoding (NIO)", ("ByteToMessageHandler",)),
    ("HTTP decoding (fast)", ("HTTPRequestFast",)),
]


def main() -> None:
    user: collections.Counter = collections.Counter()
    kernel: collections.Counter = collections.Counter()
    total = 0
    for block in sys.stdin.read().split("\n\n"):
        frames = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not frames:
            continue
        stage = "other"
        for frame in frames:
            match = next((name for name, parts in STAGES if all(p in frame for p in parts)), None)
            if match:
                stage = match
                break
        (kernel if "kernel.kallsyms" in frames[0] else user)[stage] += 1
        total += 1
    if total == 0:
        sys.exit("no samples on stdin (perf script -F ip,sym,dso)")
    print(f"{total} samples: user {100 * sum(user.values()) / total:.1f}%, kernel {100 * sum(kernel.values()) / total:.1f}%")
    for stage in sorted(set(user) | set(kernel), key=lambda s: -user[s]):
        print(f"{stage:24} user {100 * user[stage] / total:5.1f}%   kernel {100 * kernel[stage] / total:5.1f}%")


if __name__ == "__main__":
    main()
