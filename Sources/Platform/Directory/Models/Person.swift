import Fluent
import Foundation

/// A science-and-technology worker's profile (科技工作者). It lives in the directory because every
/// module refers to people by id; the Members module owns the flows around it. 身份证号 and phone are
/// stored only encrypted, each with a keyed hash beside it for exact-match search.
public final class Person: Model, @unchecked Sendable {
    public static let schema = "platform_people"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organization_id") public var organizationID: UUID
    @OptionalField(key: "user_id") public var userID: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "sex") public var sex: String
    @Field(key: "birth_month") public var birthMonth: String
    @OptionalField(key: "ethnicity") public var ethnicity: String?
    @OptionalField(key: "political_status") public var politicalStatus: String?
    @OptionalField(key: "education") public var education: String?
    @OptionalField(key: "degree") public var degree: String?
    @OptionalField(key: "title_level") public var titleLevel: String?
    @OptionalField(key: "title_name") public var titleName: String?
    @OptionalField(key: "employer") public var employer: String?
    @OptionalField(key: "province") public var province: String?
    @OptionalField(key: "city") public var city: String?
    @OptionalField(key: "county") public var county: String?
    @OptionalField(key: "discipline_code") public var disciplineCode: String?
    @OptionalField(key: "industry_code") public var industryCode: String?
    @OptionalField(key: "research_direction") public var researchDirection: String?
    @Field(key: "phone_cipher") public var phoneCipher: String
    @Field(key: "phone_lookup") public var phoneLookup: String
    @OptionalField(key: "email") public var email: String?
    @OptionalField(key: "id_number_cipher") public var idNumberCipher: String?
    @OptionalField(key: "id_number_lookup") public var idNumberLookup: String?
    @Field(key: "verification") public var verification: String
    /// Set when the person was forgotten at their request: personal fields are gone, the statistical
    /// ones (sex, birth month, discipline, title, region, organization) remain.
    @OptionalField(key: "anonymized_at") public var anonymizedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

extension Person: OrganizationOwned {
    public static var organizationIDKey: KeyPath<Person, FieldProperty<Person, UUID>> { \.$organizationID }
}

extension Person: Audited {
    public static var auditLabel: String { "科技工作者" }
    public static var auditTitleColumn: String? { "name" }
    public static var auditEntityType: String { "person" }
    public static var auditRedactedKeys: Set<String> { ["phone_cipher", "phone_lookup", "id_number_cipher", "id_number_lookup"] }
}

struct CreatePeople: AsyncMigration {
    var name: String { "2026_11_23_1500_platform_create_people" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_people")
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("user_id", .uuid, .references("platform_users", "id", onDelete: .setNull))
            .field("name", .string, .required)
            .field("sex", .string, .required)
            .field("birth_month", .string, .required)
            .field("ethnicity", .string)
            .field("political_status", .string)
            .field("education", .string)
            .field("degree", .string)
            .field("title_level", .string)
            .field("title_name", .string)
            .field("employer", .string)
            .field("province", .string)
            .field("city", .string)
            .field("county", .string)
            .field("discipline_code", .string)
            .field("industry_code", .string)
            .field("research_direction", .string)
            .field("phone_cipher", .string, .required)
            .field("phone_lookup", .string, .required)
            .field("email", .string)
            .field("id_number_cipher", .string)
            .field("id_number_lookup", .string)
            .field("verification", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "user_id")
            .unique(on: "phone_lookup")
            .unique(on: "id_number_lookup")
            .create()
        for (name, columns) in [
            ("idx_platform_people_org", ["organization_id", "name"]), ("idx_platform_people_discipline", ["discipline_code"]),
            ("idx_platform_people_title", ["title_level"]), ("idx_platform_people_birth", ["birth_month"]),
        ] {
            try await SQLIndex.create(name, on: "platform_people", columns, database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_people").delete()
    }
}

struct AddPersonAnonymization: AsyncMigration {
    var name: String { "2026_11_23_1510_platform_people_anonymized" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_people").field("anonymized_at", .datetime).update()
        try await SQLIndex.create("idx_platform_people_name", on: "platform_people", ["name"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_people").deleteField("anonymized_at").update()
    }
}
