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
        let page = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>waiting</title></head><body><pre id="log">waiting</pre>
            <script>
            const log = (text) => { document.getElementById("log").textContent = text; };
            const source = new EventSource("\(base)/events");
            source.addEventListener("connected", async (event) => {
              const client = JSON.parse(event.data).client;
              const response = await fetch("\(base)/_sluice/publish", {
                method: "POST",
                headers: { "Authorization": "Bearer \(TestGateway.publisherToken)", "Content-Type": "application/json" },
                body: JSON.stringify({ channel: "news", event: "greeting", data: { text: "héllo from " + client.length } })
              });
              if (!response.ok) { log("publish failed: " + response.status); }
            });
            source.addEventListener("greeting", (event) => {
              log("received " + JSON.parse(event.data).text + " id=" + event.lastEventId);
              source.close();
            });
            source.onerror = () => { if (source.readyState === EventSource.CLOSED) { log("closed by error"); } };
            </script></body></html>
            """
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
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(dom.contains("received héllo from 22 id="), "page showed: \(dom.prefix(600))")
        let metrics = try await gateway.request("GET", "/_sluice/metrics")
        #expect(metrics.body.contains("sluice_events_published_total 1\n"))
    }
}
