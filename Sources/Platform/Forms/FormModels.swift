import Fluent
import Foundation
import KexieKit

/// A form of one organization: its title, status and the version people fill in now. The definitions
/// live in `FormVersion` rows; the one without `published_at` is the draft being edited.
public final class PlatformForm: Model, @unchecked Sendable {
    public static let schema = "platform_forms"

    public enum Status: String, Codable, Sendable, CaseIterable {
        case draft, published, closed

        public var label: String {
            switch self {
            case .draft: return "草稿"
            case .published: return "已发布"
            case .closed: return "已停止收集"
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organization_id") public var organizationID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "description") public var details: String
    @Field(key: "status") public var status: Status
    /// The latest published version; 0 until the first publication.
    @Field(key: "current_version") public var currentVersion: Int
    /// The module whose pages take this form's submissions. Only `platform` forms are filled on the
    /// platform's own fill page; an event's registration form is filled on the event's page.
    @Field(key: "owner_module") public var ownerModule: String
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(organizationID: UUID, title: String, details: String, createdBy: UUID, ownerModule: String = FormOwner.fillPage.module) {
        self.organizationID = organizationID
        self.ownerModule = ownerModule
        self.title = title
        self.details = details
        self.status = .draft
        self.currentVersion = 0
        self.createdBy = createdBy
    }
}

/// One version of a form's definition. A published version is never changed: editing after
/// publication works on the next version, so every submission can be read with the definition it was
/// made against.
public final class FormVersion: Model, @unchecked Sendable {
    public static let schema = "platform_form_versions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "form_id") public var formID: UUID
    @Field(key: "version") public var version: Int
    /// `FormDefinition` as JSON.
    @Field(key: "definition") public var definitionJSON: String
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    init(formID: UUID, version: Int, definition: FormDefinition) throws {
        self.formID = formID
        self.version = version
        self.definitionJSON = try FormVersion.encode(definition)
    }

    public func definition() throws -> FormDefinition {
        try JSONDecoder().decode(FormDefinition.self, from: Data(definitionJSON.utf8))
    }

    static func encode(_ definition: FormDefinition) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(definition), as: UTF8.self)
    }
}

/// One filled-in form: which form and version, and which record of the module that uses it (an event
/// registration, an award application) it belongs to.
public final class FormSubmission: Model, @unchecked Sendable {
    public static let schema = "platform_form_submissions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "form_id") public var formID: UUID
    @Field(key: "version") public var version: Int
    /// The module that took the submission (`platform` for the fill page, `events`, `awards`, …).
    @Field(key: "owner_module") public var ownerModule: String
    @OptionalField(key: "owner_id") public var ownerID: UUID?
    @OptionalField(key: "submitter_id") public var submitterID: UUID?
    @Field(key: "submitted_at") public var submittedAt: Date

    public init() {}
}

/// One answer, in the column of its type. Phone numbers, e-mail addresses and fields marked personal
/// are sealed with the platform's secret box (`sealed`), so the database holds no plain value.
public final class FormAnswer: Model, @unchecked Sendable {
    public static let schema = "platform_form_answers"

    @ID(key: .id) public var id: UUID?
    @Field(key: "submission_id") public var submissionID: UUID
    @Field(key: "field_key") public var fieldKey: String
    @Field(key: "kind") public var kind: FormFieldKind.Name
    @OptionalField(key: "text_value") public var textValue: String?
    @Field(key: "sealed") public var sealed: Bool
    @OptionalField(key: "number_value") public var numberValue: Double?
    @OptionalField(key: "date_value") public var dateValue: Day?
    @Field(key: "choices") public var choices: [String]
    @Field(key: "file_ids") public var fileIDs: [UUID]
    @OptionalField(key: "bool_value") public var boolValue: Bool?

    public init() {}
}

extension PlatformForm: OrganizationOwned {
    public static var organizationIDKey: KeyPath<PlatformForm, FieldProperty<PlatformForm, UUID>> { \.$organizationID }
}

extension PlatformForm: Audited {
    public static var auditLabel: String { "表单" }
    public static var auditTitleColumn: String? { "title" }
    public static var auditEntityType: String { "form" }
}

extension FormVersion: Audited {
    public static var auditLabel: String { "表单版本" }
    public static var auditEntityType: String { "form_version" }
}

extension FormSubmission: Audited {
    public static var auditLabel: String { "表单填报" }
    public static var auditEntityType: String { "form_submission" }
}

extension FormAnswer: Audited {
    public static var auditLabel: String { "表单答案" }
    public static var auditEntityType: String { "form_answer" }
    /// Answers are what people wrote about themselves; the audit row names the field, not the answer.
    public static var auditRedactedKeys: Set<String> { ["text_value", "number_value", "date_value", "choices", "bool_value"] }
}

struct CreateFormTables: AsyncMigration {
    var name: String { "2026_12_07_1200_platform_create_forms" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PlatformForm.schema)
            .id()
            .field("organization_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("status", .string, .required)
            .field("current_version", .int, .required)
            .field("owner_module", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(FormVersion.schema)
            .id()
            .field("form_id", .uuid, .required, .references(PlatformForm.schema, "id"))
            .field("version", .int, .required)
            .field("definition", .string, .required)
            .field("published_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "form_id", "version")
            .create()
        try await database.schema(FormSubmission.schema)
            .id()
            .field("form_id", .uuid, .required, .references(PlatformForm.schema, "id"))
            .field("version", .int, .required)
            .field("owner_module", .string, .required)
            .field("owner_id", .uuid)
            .field("submitter_id", .uuid)
            .field("submitted_at", .datetime, .required)
            .create()
        try await database.schema(FormAnswer.schema)
            .id()
            .field("submission_id", .uuid, .required, .references(FormSubmission.schema, "id"))
            .field("field_key", .string, .required)
            .field("kind", .string, .required)
            .field("text_value", .string)
            .field("sealed", .bool, .required)
            .field("number_value", .double)
            .field("date_value", .string)
            .field("choices", .array(of: .string), .required)
            .field("file_ids", .array(of: .uuid), .required)
            .field("bool_value", .bool)
            .unique(on: "submission_id", "field_key")
            .create()
        try await SQLIndex.create("platform_forms_organization", on: PlatformForm.schema, ["organization_id"], database)
        try await SQLIndex.create("platform_form_submissions_form", on: FormSubmission.schema, ["form_id", "submitted_at"], database)
        try await SQLIndex.create("platform_form_submissions_owner", on: FormSubmission.schema, ["owner_module", "owner_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FormAnswer.schema).delete()
        try await database.schema(FormSubmission.schema).delete()
        try await database.schema(FormVersion.schema).delete()
        try await database.schema(PlatformForm.schema).delete()
    }
}
