import NIOCore
import NIOHTTP1
import SluiceAuth
import SluiceCore
import SluiceJSON

/// A publish request with `Content-Type: application/x-ndjson`: one event per line, published as the body
/// streams in (a batch is never held in memory whole). The answer lists each line's id or error.
final class PublishBatch {
    private let runtime: GatewayRuntime
    private let credential: Result<CredentialVerifier.Grant, APIRouter.Refusal>
    private var pending: [UInt8] = []
    /// Each line's outcome: a published event's answer as bytes (one small array per line, no JSON tree), or a
    /// refusal.
    private var results: [LineResult] = []

    private enum LineResult {
        case published([UInt8])
        case refused(JSONValue)
    }
    private var published = 0
    private var failed = 0
    private var line = 0
    private var overlong = false

    init(runtime: GatewayRuntime, headers: HTTPHeaders) {
        self.runtime = runtime
        credential = APIRouter(runtime: runtime).publisher(headers)
    }

    private var maxLine: Int { runtime.gateway.limits.maxPayload * 2 + 4096 }

    /// Consumes a piece of the body, publishing every complete line.
    func feed(_ chunk: inout ByteBuffer) {
        guard case .success = credential else { return }
        let bytes = chunk.readableBytesView
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            if overlong {
                overlong = false
            } else {
                pending += bytes[start..<newline]
                publishLine()
            }
            pending.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        if !overlong { pending += bytes[start...] }
        if pending.count > maxLine {
            line += 1
            failed += 1
            results.append(
                .refused([
                    "line": .integer(Int64(line)), "status": 413,
                    "error": .string("The line is longer than \(maxLine) bytes."),
                ]))
            pending.removeAll()
            overlong = true
        }
    }

    private func publishLine() {
        while pending.last == 0x0D { pending.removeLast() }
        line += 1
        guard !pending.allSatisfy({ $0 == 0x20 || $0 == 0x09 }), case .success(let credential) = credential else {
            return
        }
        let outcome: Result<Published, PublishError>
        do {
            outcome = Publisher(runtime: runtime, credential: credential).publish(try JSONValue.parse(pending))
        } catch {
            outcome = .failure(
                PublishError(400, "Line \(line) is not JSON: \(error.message) at column \(error.column)."))
        }
        switch outcome {
        case .success(let event):
            published += 1
            results.append(.published(event.answer(line: line)))
        case .failure(let error):
            failed += 1
            results.append(
                .refused([
                    "line": .integer(Int64(line)), "status": .integer(Int64(error.status)),
                    "error": .string(error.reason),
                ]))
        }
    }

    /// Publishes a last line without a newline and builds the answer.
    func finish() -> HTTPResponse {
        switch credential {
        case .failure(let refusal): return refusal.response
        case .success:
            if !pending.isEmpty && !overlong { publishLine() }
            let status = published == 0 && failed > 0 ? 400 : 200
            // {"published":P,"failed":F,"results":[…]}: the bytes the compact serializer writes for that object.
            var body = Array(#"{"published":\#(published),"failed":\#(failed),"results":["#.utf8)
            for (i, result) in results.enumerated() {
                if i > 0 { body.append(UInt8(ascii: ",")) }
                switch result {
                case .published(let bytes): body += bytes
                case .refused(let object): body += object.serializedBytes()
                }
            }
            body += "]}".utf8
            return .json(status, serialized: body)
        }
    }
}
