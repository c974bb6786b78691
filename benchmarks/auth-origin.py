#!/usr/bin/env python3
"""The tiny authorization upstream behind Nchan's `nchan_authorize_request` in benchmarks/run: answers every request
204 (allowed) over keep-alive HTTP/1.1, the counterpart of Sluice's persistent onConnect hook
(benchmarks/hooks/allow_server.py). Listens on 127.0.0.1:8094."""
import asyncio


class Auth(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.pending = transport, b""

    def data_received(self, data):
        self.pending += data
        answers = 0
        while True:
            end = self.pending.find(b"\r\n\r\n")
            if end < 0:
                break
            self.pending = self.pending[end + 4:]  # GET subrequests carry no body
            answers += 1
        if answers:
            self.transport.write(b"HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n" * answers)


async def main():
    server = await asyncio.get_running_loop().create_server(Auth, "127.0.0.1", 8094, backlog=1024)
    await server.serve_forever()


asyncio.run(main())
