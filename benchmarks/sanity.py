#!/usr/bin/env python3
"""Quick sanity numbers for a running Sluice gateway (the full comparison with peers is `sluice bench`'s job).

  sanity.py fanout --subscribers 1000 --seconds 10   deliveries/s with N subscribers on one channel
  sanity.py idle --connections 10000 --pid PID       server RSS per idle connection
  sanity.py replay --events 10000 --pid PID          replay throughput to one resuming client, and the server's
                                                     memory per retained event (channel `replay`, history 100,000)

Everything targets 127.0.0.1 and stops by itself. The publisher sends NDJSON batches as fast as the server answers.
"""
import argparse
import asyncio
import json
import resource
import time

HOST = "127.0.0.1"


async def open_stream(port, path, counter, ready):
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    seen_connected = False
    tail = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            return
        data = tail + chunk
        if not seen_connected and b"event: connected" in data:
            seen_connected = True
            ready.append(1)
        counter[0] += data.count(b"\nid: ") + (1 if data.startswith(b"id: ") else 0)
        tail = data[-5:]


async def publish(port, token, channel, seconds, batch):
    line = json.dumps({"channel": channel, "data": {"t": 0, "payload": "x" * 64}}) + "\n"
    body = (line * batch).encode()
    sent = 0
    deadline = time.monotonic() + seconds
    reader, writer = await asyncio.open_connection(HOST, port)
    while time.monotonic() < deadline:
        writer.write(
            f"POST /_sluice/publish HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/x-ndjson\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = int([h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")][0].split(b":")[1])
        await reader.readexactly(length)
        sent += batch
    writer.close()
    return sent


async def fanout(args):
    counter = [0]
    ready = []
    tasks = [asyncio.create_task(open_stream(args.port, args.path, counter, ready)) for _ in range(args.subscribers)]
    while len(ready) < args.subscribers:
        await asyncio.sleep(0.05)
    start_count = counter[0]
    start = time.monotonic()
    sent = await publish(args.port, args.token, args.channel, args.seconds, args.batch)
    await asyncio.sleep(1.0)  # let the last events arrive
    elapsed = time.monotonic() - start
    received = counter[0] - start_count
    for t in tasks:
        t.cancel()
    print(json.dumps({"subscribers": args.subscribers, "published": sent, "deliveries": received,
                      "seconds": round(elapsed, 2), "deliveries_per_second": round(received / elapsed),
                      "expected_deliveries": sent * args.subscribers}))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])


async def idle(args):
    before = rss_kib(args.pid)
    counter = [0]
    ready = []
    tasks = []
    for i in range(args.connections):
        tasks.append(asyncio.create_task(open_stream(args.port, args.path, counter, ready)))
        if i % 500 == 499:
            await asyncio.sleep(0.05)
    deadline = time.monotonic() + 60
    while len(ready) < args.connections and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(2)
    after = rss_kib(args.pid)
    print(json.dumps({"connections": len(ready), "rss_before_kib": before, "rss_after_kib": after,
                      "kib_per_connection": round((after - before) / max(1, len(ready)), 2)}))
    for t in tasks:
        t.cancel()


async def read_position(port, path):
    """Opens a stream, returns the id of its `connected` event (the current position), closes it."""
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    data = b""
    while b"event: connected" not in data:
        data += await reader.read(65536)
    writer.close()
    return data.split(b"id: ")[1].split(b"\n")[0].decode()


async def metric(port, name):
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET /_sluice/metrics HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
    text = (await reader.read()).decode()
    writer.close()
    return int([l for l in text.splitlines() if l.startswith(name + " ")][0].split()[1])


async def replay(args):
    position = await read_position(args.port, args.path)
    rss_before = rss_kib(args.pid)
    bytes_before = await metric(args.port, "sluice_history_bytes")
    sent = 0
    while sent < args.events:
        n = min(args.batch, args.events - sent)
        await publish_count(args.port, args.token, args.channel, n)
        sent += n
    await asyncio.sleep(1)
    rss_after = rss_kib(args.pid)
    bytes_after = await metric(args.port, "sluice_history_bytes")
    rates = []
    for _ in range(args.trials):
        reader, writer = await asyncio.open_connection(HOST, args.port)
        start = time.monotonic()
        writer.write(f"GET {args.path} HTTP/1.1\r\nHost: {HOST}\r\nLast-Event-ID: {position}\r\n\r\n".encode())
        seen = 0
        tail = b""
        while seen < args.events:
            chunk = await asyncio.wait_for(reader.read(1 << 20), 30)
            if not chunk:
                break
            data = tail + chunk
            seen += data.count(b"\nid: ")
            tail = data[-5:]
        elapsed = time.monotonic() - start
        writer.close()
        rates.append(round(seen / elapsed))
    print(json.dumps({"events_behind": args.events, "replayed_events_per_second": sorted(rates),
                      "rss_kib_per_1000_retained_events": round((rss_after - rss_before) * 1000 / args.events, 1),
                      "history_bytes_per_event": round((bytes_after - bytes_before) / args.events, 1)}))


async def publish_count(port, token, channel, count):
    line = json.dumps({"channel": channel, "data": {"t": 0, "payload": "x" * 64}}) + "\n"
    body = (line * count).encode()
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(
        f"POST /_sluice/publish HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n"
        f"Content-Type: application/x-ndjson\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()
    await reader.read()
    writer.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["fanout", "idle", "replay"])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--path", help="default: /events/news (/events/replay for replay)")
    parser.add_argument("--channel", help="default: news (replay for replay)")
    parser.add_argument("--token", default="quickstart-publish-token")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--pid", type=int)
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    args.path = args.path or ("/events/replay" if args.mode == "replay" else "/events/news")
    args.channel = args.channel or ("replay" if args.mode == "replay" else "news")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    modes = {"fanout": fanout, "idle": idle, "replay": replay}
    asyncio.run(modes[args.mode](args))


if __name__ == "__main__":
    main()
