import SluiceJSON
import SluiceYAML

extension ConfigLoader {
    /// The configuration as the JSON document a schema validator sees: YAML read with the same scalar rules and
    /// `${VAR}` interpolation as the loader.
    /// - Returns: `nil` when the text is not YAML or a variable is missing.
    public static func jsonDocument(bytes: [UInt8], environment: [String: String]) -> JSONValue? {
        guard let root = (try? YAMLParser.parse(bytes)) ?? nil else { return nil }
        var checker = SpecChecker(file: "", environment: environment)
        return checker.jsonValue(root, path: "")
    }
}
