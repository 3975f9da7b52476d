import XCTest

@testable import KexieKit

final class MobileNumberTests: XCTestCase {
    func testCommonWrittenFormsNormalizeToElevenDigits() throws {
        for input in [
            "13812345678", "+86 138 1234 5678", "86-138-1234-5678", "0086 13812345678",
            "138-1234-5678", "(+86) 13812345678", "１３８１２３４５６７８",
        ] {
            XCTAssertEqual(try MobileNumber(input).value, "13812345678", input)
        }
        XCTAssertEqual(try MobileNumber("19912345678").value, "19912345678")
    }

    func testNumbersThatCannotBeMainlandMobilesAreRejected() {
        for input in [
            "12812345678", "1381234567", "138123456789", "02812345678", "1381234567a", "+85261234567",
            "010-12345678",
        ] {
            XCTAssertThrowsError(try MobileNumber(input), input) {
                XCTAssertEqual($0 as? ValidationError, .mobileFormat)
            }
        }
        XCTAssertThrowsError(try MobileNumber("  ")) {
            XCTAssertEqual(($0 as? ValidationError)?.code, "mobile.empty")
        }
    }

    func testMaskHidesTheMiddleFourDigits() throws {
        XCTAssertEqual(try MobileNumber("+86 13812345678").masked, "138****5678")
        XCTAssertEqual(Masking.phone("13812345678"), "138****5678")
        XCTAssertEqual(Masking.phone("12345"), "*****")
    }
}

final class EmailAddressTests: XCTestCase {
    func testOrdinaryAddressesPassAndTheDomainIsLowerCased() throws {
        XCTAssertEqual(try EmailAddress(" Zhang.San+kexie@Example.COM ").value, "Zhang.San+kexie@example.com")
        XCTAssertEqual(try EmailAddress("a@cast.org.cn").value, "a@cast.org.cn")
        XCTAssertEqual(try EmailAddress("user_1@mail-server.example.edu.cn").value, "user_1@mail-server.example.edu.cn")
        XCTAssertEqual(try EmailAddress("info@例子.中国").value, "info@例子.中国")
        XCTAssertEqual(try EmailAddress("name＠example。com").value, "name@example.com", "full-width input")
    }

    func testMalformedAddressesAreRejected() {
        for input in [
            "plain", "@example.com", "a@", "a@b", "a@@b.com", "a b@example.com", "a@exa mple.com",
            ".a@example.com", "a.@example.com", "a..b@example.com", "a@-example.com", "a@example.c",
            "a@example..com", "a@127.0.0.1", "张三@example.com",
            String(repeating: "a", count: 65) + "@example.com",
        ] {
            XCTAssertThrowsError(try EmailAddress(input), input) {
                XCTAssertEqual($0 as? ValidationError, .emailFormat, input)
            }
        }
        XCTAssertThrowsError(try EmailAddress("")) {
            XCTAssertEqual(($0 as? ValidationError)?.message, "请填写电子邮箱")
        }
    }

    func testMaskShowsOnlyTheFirstCharacterAndTheDomain() throws {
        XCTAssertEqual(try EmailAddress("alice@example.com").masked, "a***@example.com")
        XCTAssertEqual(Masking.email("a@example.com"), "a***@example.com")
        XCTAssertEqual(Masking.email("no-at-sign"), "n***")
        XCTAssertEqual(Masking.email(""), "")
    }
}
