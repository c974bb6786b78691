import Foundation
import SluiceCore

extension GatewayCompiler {
    mutating func compileHooks(_ entries: [ConfigEntry]) -> [Located<HookSpec>] {
        var out: [Located<HookSpec>] = []
        for entry in entries {
            guard let r = entry.value.record, let commandValue = r["command"] else { continue }
            let path = "hooks.\(entry.key)"
            var argv: [String] = []
            if let single = commandValue.string {
                if single.contains(where: \.isWhitespace) {
                    let words = single.split(separator: " ").map { "\"\($0)\"" }.joined(separator: ", ")
                    context.error(
                        .invalidValue, "'\(path).command' must be a list when the command has arguments",
                        commandValue.span,
                        hint: "write [\(words)]; hooks never run through a shell unless you write 'sh -c'")
                    continue
                }
                argv = [single]
            } else {
                argv = commandValue.list?.compactMap(\.string) ?? []
            }
            guard let program = argv.first, !program.isEmpty else {
                context.error(
                    .invalidValue, "'\(path).command' is empty", commandValue.span,
                    hint: "name the program first, as in [\"./hooks/check.sh\"]")
                continue
            }
            let programSpan = commandValue.list?.first?.span ?? commandValue.span
            let executable = resolveProgram(program, span: programSpan, hook: entry.key)
            var cwd = context.baseDirectory
            if let value = r["cwd"], let dir = value.string {
                cwd = absolute(dir)
                var isDirectory: ObjCBool = false
                if !FileManager.default.fileExists(atPath: cwd, isDirectory: &isDirectory) || !isDirectory.boolValue {
                    context.error(.fileNotFound, "'\(path).cwd' is not a directory: \(dir)", value.span)
                }
            }
            let env = r["env"]?.record ?? ConfigRecord()
            var vars: [String: String] = [:]
            for e in env["vars"]?.entries ?? [] { vars[e.key] = e.value.string ?? "" }
            let spec = HookSpec(
                name: entry.key, executable: executable ?? program, arguments: Array(argv.dropFirst()),
                timeout: r["timeout"]?.duration ?? .seconds(1), maxOutput: r["maxOutput"]?.size ?? 64 << 10,
                environment: vars, inheritEnvironment: env["inherit"]?.list?.compactMap(\.string) ?? [],
                workingDirectory: cwd, cache: r["cache"]?.duration ?? .zero,
                concurrency: r["concurrency"]?.integer ?? 16,
                queue: r["queue"]?.integer ?? 256,
                onError: HookSpec.ErrorPolicy(rawValue: r["onError"]?.string ?? "deny") ?? .deny,
                mode: HookSpec.Mode(rawValue: r["mode"]?.string ?? "exec") ?? .exec)
            if let value = r["timeout"], spec.timeout < .milliseconds(10) {
                context.error(.outOfRange, "'\(path).timeout' must be at least 10ms", value.span)
            }
            if let value = r["maxOutput"], spec.maxOutput < 1024 {
                context.error(.outOfRange, "'\(path).maxOutput' must be at least 1KiB", value.span)
            }
            out.append(Located(spec: spec, span: entry.keySpan))
        }
        return out
    }

    /// Resolves a hook's program: a path with '/' against the configuration's directory, a bare name on PATH.
    private mutating func resolveProgram(_ program: String, span: SourceSpan, hook: String) -> String? {
        let fm = FileManager.default
        if program.contains("/") {
            let path = absolute(program)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                context.error(
                    .hookNotFound, "hook '\(hook)': '\(program)' does not exist", span,
                    hint: "paths are relative to the configuration file's directory")
                return nil
            }
            guard fm.isExecutableFile(atPath: path) else {
                context.error(
                    .hookNotExecutable, "hook '\(hook)': '\(program)' is not executable", span,
                    hint: "run 'chmod +x \(program)'")
                return nil
            }
            return path
        }
        let searchPath = context.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in searchPath.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(program)"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        context.error(
            .hookNotFound, "hook '\(hook)': '\(program)' is not on PATH", span,
            hint: "install it, or give a path such as './hooks/\(program)'")
        return nil
    }

    /// An absolute path for one written relative to the configuration file.
    func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : "\(context.baseDirectory)/\(path)"
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}
