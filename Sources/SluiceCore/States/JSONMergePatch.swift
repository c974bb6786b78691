import SluiceJSON

/// JSON Merge Patch (RFC 7396): an object patch merges into an object member by member, `null` deletes a member,
/// and anything that is not an object replaces the target whole.
public enum JSONMergePatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result: JSONObject
        if case .object(let targetObject) = target {
            result = targetObject
        } else {
            result = JSONObject()
        }
        for (key, value) in patchObject.members {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
