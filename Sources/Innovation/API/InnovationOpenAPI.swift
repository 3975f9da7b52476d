enum InnovationOpenAPI {
    static let paths = ""
}
