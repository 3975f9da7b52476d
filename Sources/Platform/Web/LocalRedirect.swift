import Foundation

/// The one check for every redirect target that comes from a request (`next` after log-in, `back` on
/// forms): only a path on this site is accepted. Browsers read `\` as `/`, drop tabs and newlines, and
/// treat `//host` as another site, so anything that could be read as a scheme, a host or a
/// protocol-relative URL is refused rather than repaired.
public enum LocalRedirect {
    /// The path itself if it is safe to redirect to, else nil. `under` narrows it to one area of the site.
    public static func target(_ raw: String?, under prefix: String = "/") -> String? {
        guard let text = raw, !text.isEmpty, text.utf8.count <= 1000, text.hasPrefix(prefix), text.hasPrefix("/") else {
            return nil
        }
        // Visible characters only: no control or format characters, whitespace or backslashes (nor
        // their percent-encoded forms below). Chinese search text in a query string stays allowed.
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                guard scalar.value > 0x20, scalar.value < 0x7F, scalar != "\\" else { return nil }
            } else {
                let category = scalar.properties.generalCategory
                guard scalar.value >= 0xA0, !scalar.properties.isWhitespace, category != .format, category != .control,
                    category != .lineSeparator, category != .paragraphSeparator
                else { return nil }
            }
        }
        let lowered = text.lowercased()
        for dangerous in ["//", "%2f%2f", "%5c", "%09", "%0a", "%0d", "%00", "/%2f", "%2f/"] where lowered.contains(dangerous) {
            return nil
        }
        // After all that the URL parser must agree: no scheme, no host, no user.
        // (Non-ASCII letters stand in as "x": they cannot form a scheme or host, and the parser refuses them.)
        let ascii = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x80 ? $0 : "x" }))
        guard let components = URLComponents(string: ascii), components.scheme == nil, components.host == nil,
            components.user == nil, components.path.hasPrefix("/")
        else { return nil }
        return text
    }
}
