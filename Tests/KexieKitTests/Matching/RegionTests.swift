import XCTest

@testable import KexieKit

final class RegionTests: XCTestCase {
    func region(_ text: String) throws -> Region { try XCTUnwrap(Region(parsing: text)) }

    func testCodesAndNamesOfTheSameCityAgree() throws {
        XCTAssertEqual(try region("460100").proximity(to: region("海口市")), .sameCity)
        XCTAssertEqual(try region("海南省海口市").proximity(to: region("海口")), .sameCity)
        XCTAssertEqual(try region("海口市").cityName, "海口市")
    }

    func testCountiesAreCompared() throws {
        XCTAssertEqual(try region("460106").proximity(to: region("海口市龙华区")), .sameCounty)
        XCTAssertEqual(try region("460106").proximity(to: region("460108")), .sameCity)
    }

    func testProvinceGovernedCitiesAreNotOneCity() throws {
        // 琼海 (469002) and 文昌 (469005) share the "90" block but are different cities.
        XCTAssertEqual(try region("469002").proximity(to: region("469005")), .sameProvince)
        XCTAssertEqual(try region("海南省琼海市").proximity(to: region("469002")), .sameCity)
    }

    func testSameProvinceAndElsewhere() throws {
        XCTAssertEqual(try region("三亚市").proximity(to: region("海口市")), .sameProvince)
        XCTAssertEqual(try region("广东省深圳市").proximity(to: region("海口市")), .elsewhere)
        XCTAssertEqual(try region("广东省").proximity(to: region("440300")), .sameProvince)
    }

    func testUnknownCityNamesStillMatchByName() throws {
        XCTAssertEqual(try region("江西省赣州市").proximity(to: region("赣州市")), .sameCity)
    }

    func testAProvinceOutsideTheTableStillGroupsItsCities() throws {
        XCTAssertEqual(try region("云海省东港市").proximity(to: region("云海省白沙市")), .sameProvince)
        XCTAssertEqual(try region("云海省东港市青石县").proximity(to: region("东港市")), .sameCity)
        XCTAssertEqual(try region("云海省东港市青石县").proximity(to: region("云海省东港市青石县")), .sameCounty)
        XCTAssertEqual(try region("云海省东港市").cityName, "东港市")
        XCTAssertEqual(try region("云海省").provinceName, "云海省")
        XCTAssertEqual(try region("云岭自治区甲城市").provinceName, "云岭自治区")
        XCTAssertEqual(try region("云海省东港市").proximity(to: region("海口市")), .elsewhere)
        XCTAssertEqual(try region("云海省东港市").proximity(to: region("云岭省东港市")), .elsewhere, "same city name, other province")
        // 省 after a city is part of a place inside that city, not a province.
        XCTAssertNil(try region("东港市省级高新区").provinceName)
        XCTAssertEqual(try region("东港市省级高新区").proximity(to: region("云海省东港市")), .sameCity)
        // Names the table knows are unaffected.
        XCTAssertEqual(try region("海南省海口市").proximity(to: region("460100")), .sameCity)
    }

    func testBlankTextIsNoRegion() {
        XCTAssertNil(Region(parsing: "  "))
    }
}
