import Vapor

/// The Members module's pages: each case registers its route and builds every link to it.
enum MembersRoute {
    case myProfile

    var path: String {
        switch self {
        case .myProfile: return "/me/profile"
        }
    }

    var components: [PathComponent] { path.split(separator: "/").map { .constant(String($0)) } }
}
