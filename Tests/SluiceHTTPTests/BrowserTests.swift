import Foundation
import Testing

/// A real browser's `EventSource` against a running gateway: headless Chromium loads a page that connects,
/// publishes through the API with `fetch` (a CORS preflight included) and writes the event it receives into the
/// page, which Chromium then prints.
@Suite(.timeLimit(.minutes(2))) struct BrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func eventSourceInHeadlessChromiumReceivesAPublishedEvent() async throws {
        let browser = try #require(Self.chromium, "Chromium is not installed (apt-get install chromium)")
        let gateway = try await TestGateway(
            """
            \(TestGateway.authSection)
            origins: ["*"]
            channels: { news: {} }
            routes: [{ path: /events, channels: [news] }]
            """)
        defer { Task { await gateway.stop() } }
        let base = "http://127.0.0.1:\(gateway.port)"
        let page = Self.page(
            base: base,
            script: """
                const source = new EventSource("\(base)/events");
                source.addEventListener("connected", async (event) => {
                  const client = JSON.parse(event.data).client;
                  const response = await publish({ channel: "news", event: "greeting", data: { text: "héllo from " + client.length } });
                  if (!response.ok) { log("publish failed: " + response.status); }
                });
                source.addEventListener("greeting", (event) => {
                  log("received " + JSON.parse(event.data).text + " id=" + event.lastEventId);
                  source.close();
                });
                source.onerror = () => { if (source.readyState === EventSource.CLOSED) { log("closed by error"); } };
                """)
        let dom = try Self.render(page, browser: browser)
        #expect(dom.contains("received héllo from 22 id="), "page showed: \(dom.prefix(600))")
        let metrics = try await gateway.request("GET", "/_sluice/metrics")
        #expect(metrics.body.contains("sluice_events_published_total 1\n"))
    }

    /// The admin API disconnects the stream mid-way; `EventSource` reconnects by itself with `Last-Event-ID` and gets
    /// what was published meanwhile: every event once, in order.
    @Test func eventSourceResumesWithLastEventIDAfterADisconnect() async throws {
        let browser = try #require(Self.chromium, "Chromium is not installed (apt-get install chromium)")
        let gateway = try await TestGateway(
            """
            \(TestGateway.authSection)
            server: { listen: "127.0.0.1:0", retry: 200ms }
            origins: ["*"]
            channels: { news: { history: 100 } }
            routes: [{ path: /events, channels: [news] }]
            """)
        defer { Task { await gateway.stop() } }
        let base = "http://127.0.0.1:\(gateway.port)"
        let page = Self.page(
            base: base,
            script: """
                const received = [];
                let connections = 0;
                let client = null;
                const source = new EventSource("\(base)/events");
                source.addEventListener("connected", async (event) => {
                  connections += 1;
                  if (connections > 1) { return; }
                  client = JSON.parse(event.data).client;
                  await publish({ channel: "news", data: "a" });
                  await publish({ channel: "news", data: "b" });
                });
                source.onmessage = async (event) => {
                  received.push(event.data);
                  if (received.length === 2 && connections === 1) {
                    await fetch("\(base)/_sluice/clients/" + client, {
                      method: "DELETE", headers: { "Authorization": "Bearer \(TestGateway.adminToken)" }
                    });
                    await publish({ channel: "news", data: "c" });
                    await publish({ channel: "news", data: "d" });
                  }
                  if (received.length >= 4) {
                    log("received " + received.join(",") + " connections=" + connections + " last=" + event.lastEventId);
                    source.close();
                  }
                };
                """)
        let dom = try Self.render(page, browser: browser)
        #expect(
            dom.contains("received a,b,c,d connections=2 last=\(gateway.server.epoch.base36)-4"), "\(dom.prefix(600))")
    }

    /// A page running `script`, with `log(text)` (shown in the DOM Chromium prints) and `publish(event)` (a fetch to
    /// the publish API with the test publisher token, so a CORS preflight).
    static func page(base: String, script: String) -> String {
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>waiting</title></head><body><pre id="log">waiting</pre>
        <script>
        const log = (text) => { document.getElementById("log").textContent = text; };
        const publish = (event) => fetch("\(base)/_sluice/publish", {
          method: "POST",
          headers: { "Authorization": "Bearer \(TestGateway.publisherToken)", "Content-Type": "application/json" },
          body: JSON.stringify(event)
        });
        \(script)
        </script></body></html>
        """
    }

    /// Loads `page` in headless Chromium and returns the DOM once the page's timers and requests settle.
    static func render(_ page: String, browser: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appending(path: "sluice-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appending(path: "page.html")
        try page.write(to: file, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
            "--user-data-dir=\(dir.appending(path: "profile").path)", "--virtual-time-budget=8000", "--dump-dom",
            file.absoluteString,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A page that never settles (an expectation that fails by waiting) must not hang the test run.
        DispatchQueue.global().asyncAfter(deadline: .now() + 45) { if process.isRunning { process.terminate() } }
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return dom
    }
}

extension UInt64 {
    fileprivate var base36: String { String(self, radix: 36) }
}
