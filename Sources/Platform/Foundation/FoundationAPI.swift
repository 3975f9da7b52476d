import Fluent
import Foundation
import Vapor

struct MeDTO: Content {
    struct Grant: Content {
        let id: UUID
        let role: String
        let roleLabel: String
        let organizationID: UUID
        let organizationName: String
    }

    let id: UUID
    let username: String
    let displayName: String
    let actingOrganizationID: UUID?
    let permissions: [String]
    let grants: [Grant]
}

struct OrganizationDTO: Content {
    let id: UUID
    let name: String
    let kind: String
    let kindLabel: String
    let level: String?
    let parentID: UUID?
    let region: String?
    let establishedYear: Int?
    let isActive: Bool

    init(_ org: Organization) throws {
        id = try org.requireID()
        name = org.name
        kind = org.kind.rawValue
        kindLabel = org.kindLabel
        level = org.level?.rawValue
        parentID = org.parentID
        region = org.region
        establishedYear = org.establishedYear
        isActive = org.isActive
    }
}

struct PageDTO<Item: Content>: Content {
    let items: [Item]
    let page: Int
    let per: Int
    let total: Int
}

struct OrganizationInput: Content {
    var name: String?
    var kind: String?
    var level: String?
    var parentID: UUID?
    var region: String?
    var establishedYear: Int?
}

/// `/api/v1` routes of the foundation. They call the same services as the pages, so validation and
/// scope are identical.
struct FoundationAPIController {
    func register(_ api: any RoutesBuilder) {
        api.get(PlatformRoutes.apiMe, use: me)
        api.get(PlatformRoutes.apiOrganizations, use: list)
        api.post(PlatformRoutes.apiOrganizations, use: create)
        api.get(PlatformRoutes.apiOrganization, use: show)
        api.on(.PATCH, PlatformRoutes.apiOrganization, use: update)
        api.on(.DELETE, PlatformRoutes.apiOrganization, use: deactivate)
    }

    func me(_ req: Request) async throws -> MeDTO {
        let actor = try req.actor
        return MeDTO(
            id: actor.userID, username: actor.username, displayName: actor.displayName,
            actingOrganizationID: actor.actingOrganizationID, permissions: actor.permissions.sorted(),
            grants: actor.grants.map {
                .init(
                    id: $0.id, role: $0.role.rawValue, roleLabel: $0.role.label,
                    organizationID: $0.organizationID, organizationName: $0.organizationName)
            })
    }

    func list(_ req: Request) async throws -> PageDTO<OrganizationDTO> {
        let actor = try req.actor
        try actor.require(PlatformPermission.orgsRead)
        let paging = try req.paging()
        var query = actor.scope.organizations(on: req.db)
        if let q = req.query[String.self, at: "q"], !q.isEmpty { query = query.filter(\.$name ~~ q) }
        if let kind = req.query[String.self, at: "kind"] {
            guard let kind = OrganizationKind(rawValue: kind) else {
                throw PlatformError.invalidInput(field: "kind", message: "未知的组织类型：\(kind)")
            }
            query = query.filter(\.$kind == kind)
        }
        let total = try await query.count()
        let rows = try await query.sort(\.$depth).sort(\.$name).range(paging.range).all()
        return PageDTO(items: try rows.map(OrganizationDTO.init), page: paging.page, per: paging.per, total: total)
    }

    func show(_ req: Request) async throws -> OrganizationDTO {
        let actor = try req.actor
        try actor.require(PlatformPermission.orgsRead)
        return try OrganizationDTO(try await actor.scope.requireOrganization(try req.uuidParameter(), on: req.db))
    }

    /// The body, with an unknown kind or level refused (an update once kept the old value silently).
    private func decode(_ req: Request) throws -> OrganizationInput {
        let input = try req.jsonBody(OrganizationInput.self)
        if let kind = input.kind, OrganizationKind(rawValue: kind) == nil {
            throw PlatformError.invalidInput(field: "kind", message: "未知的组织类型：\(kind)")
        }
        if let level = input.level, OrganizationLevel(rawValue: level) == nil {
            throw PlatformError.invalidInput(field: "level", message: "未知的层级：\(level)")
        }
        return input
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try decode(req)
        let org = try await OrganizationService(db: req.db, services: req.platform).create(
            .init(
                name: input.name ?? "", kind: input.kind.flatMap(OrganizationKind.init(rawValue:)),
                level: input.level.flatMap(OrganizationLevel.init(rawValue:)), parentID: input.parentID,
                region: input.region, establishedYear: input.establishedYear),
            actor: actor)
        let response = try await OrganizationDTO(org).encodeResponse(status: .created, for: req)
        return response
    }

    func update(_ req: Request) async throws -> OrganizationDTO {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let input = try decode(req)
        let service = OrganizationService(db: req.db, services: req.platform)
        let current = try await actor.scope.requireOrganization(id, on: req.db)
        try actor.require(PlatformPermission.orgsWrite)
        if let parent = input.parentID, parent != current.parentID { try await service.move(id, to: parent, actor: actor) }
        let org = try await service.update(
            id, name: input.name ?? current.name, kind: input.kind.flatMap(OrganizationKind.init(rawValue:)) ?? current.kind,
            level: input.level.flatMap(OrganizationLevel.init(rawValue:)) ?? current.level, region: input.region ?? current.region,
            establishedYear: input.establishedYear ?? current.establishedYear, actor: actor)
        return try OrganizationDTO(org)
    }

    func deactivate(_ req: Request) async throws -> HTTPStatus {
        try await OrganizationService(db: req.db, services: req.platform).setActive(try req.uuidParameter(), false, actor: try req.actor)
        return .noContent
    }
}
