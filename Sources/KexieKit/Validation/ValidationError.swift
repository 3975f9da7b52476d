/// Why a value was rejected: a stable `code` for programs and a Chinese
/// `message` that tells the person what to fix.
public struct ValidationError: KexieKitError, Equatable, Hashable {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

extension ValidationError {
    public static let idNumberEmpty = ValidationError(code: "id_number.empty", message: "请填写身份证号")
    public static let idNumberLength = ValidationError(code: "id_number.length", message: "身份证号应为18位")
    public static let idNumberFormat = ValidationError(
        code: "id_number.format", message: "身份证号前17位应为数字，最后一位为数字或字母X")
    public static let idNumberRegion = ValidationError(code: "id_number.region", message: "身份证号前6位地区码不正确")
    public static let idNumberBirthDate = ValidationError(
        code: "id_number.birth_date", message: "身份证号中的出生日期（第7至14位）不正确")
    public static let idNumberChecksum = ValidationError(
        code: "id_number.checksum", message: "身份证号校验位不正确，请核对最后一位")

    public static let creditCodeEmpty = ValidationError(code: "credit_code.empty", message: "请填写统一社会信用代码")
    public static let creditCodeLength = ValidationError(code: "credit_code.length", message: "统一社会信用代码应为18位")
    public static let creditCodeCharacters = ValidationError(
        code: "credit_code.characters", message: "统一社会信用代码只能包含数字和大写字母（不含 I、O、Z、S、V）")
    public static let creditCodeRegion = ValidationError(
        code: "credit_code.region", message: "统一社会信用代码第3至8位应为行政区划码（数字）")
    public static let creditCodeChecksum = ValidationError(
        code: "credit_code.checksum", message: "统一社会信用代码校验位不正确，请核对最后一位")

    public static let mobileEmpty = ValidationError(code: "mobile.empty", message: "请填写手机号")
    public static let mobileFormat = ValidationError(
        code: "mobile.format", message: "手机号格式不正确，应为以1开头的11位中国大陆手机号")

    public static let emailEmpty = ValidationError(code: "email.empty", message: "请填写电子邮箱")
    public static let emailFormat = ValidationError(
        code: "email.format", message: "电子邮箱格式不正确，例如 name@example.com")
}

/// Input typed on Chinese keyboards often arrives in full-width form
/// (１３８…, ＠, Ｘ); fold those to ASCII before checking.
enum InputNormalizer {
    static func foldFullWidth(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E:
                scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000:
                scalars.append(" ")
            case 0x3002:
                // 。 typed instead of a dot in e-mail domains.
                scalars.append(".")
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Removes spaces and dashes people use to group digits.
    static func compact(_ text: String) -> String {
        String(foldFullWidth(text).unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "-" })
    }
}
